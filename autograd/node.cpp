#include "autograd/node.h"

#include "autograd/grad_mode.h"
#include "runtime/error.h"

namespace dforge {

VariableList AccumulateGrad::apply(const VariableList&) {
  throw Error("AccumulateGrad is handled by the engine, never applied");
}

Variable BackwardContext::output(int index) const {
  DFORGE_CHECK(index < int(saved_outputs_.size()), node_.name(), ": backward asked for output ", index,
               " which the op did not save");
  return Variable(saved_outputs_[index], node_.shared_from_this(), index);
}

VariableList FunctionNode::apply(const VariableList& output_grads) {
  BackwardContext context(*this, saved_outputs, next_edges);
  VariableList grads = backward_(context, output_grads);
  DFORGE_CHECK(grads.size() == next_edges.size(), name_, ": backward returned ", grads.size(),
               " gradients for ", next_edges.size(), " inputs");
  return grads;
}

bool needs_recording(const VariableList& inputs) {
  if (!GradMode::is_enabled()) return false;
  for (const Variable& input : inputs) {
    if (input.requires_grad()) return true;
  }
  return false;
}

VariableList record(const char* name, const std::vector<Tensor>& outputs, const VariableList& inputs,
                    BackwardFunction backward, bool save_outputs) {
  VariableList results;
  results.reserve(outputs.size());
  if (!needs_recording(inputs)) {
    for (const Tensor& output : outputs) results.emplace_back(output, false);
    return results;
  }
  auto node = std::make_shared<FunctionNode>(name, std::move(backward));
  for (const Variable& input : inputs) {
    Edge edge;
    if (input.requires_grad()) {
      edge.node = input.is_leaf() ? input.grad_accumulator() : input.grad_fn();
      edge.input_index = input.output_index();
    }
    node->next_edges.push_back(edge);
  }
  for (const Tensor& output : outputs) node->output_shapes.push_back(output.shape());
  node->output_dtype = outputs.front().dtype();
  node->output_device = outputs.front().device();
  if (save_outputs) node->saved_outputs = outputs;
  for (size_t i = 0; i < outputs.size(); ++i) results.emplace_back(outputs[i], node, int(i));
  return results;
}

Variable record_one(const char* name, const Tensor& output, const VariableList& inputs, BackwardFunction backward,
                    bool save_output) {
  return record(name, {output}, inputs, std::move(backward), save_output)[0];
}

}  // namespace dforge
