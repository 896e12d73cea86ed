// Nodes of the autograd graph. Each op that records itself makes one Node holding its backward
// function and an Edge to the node of every input (the input's grad_fn, or the accumulator of a
// leaf). Backward functions are written with differentiable ops, so when the engine runs them with
// grad mode on (create_graph) they record a graph of their own: second-order gradients.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "autograd/variable.h"

namespace dforge {

struct Edge {
  std::shared_ptr<Node> node;  // null when the input needs no gradient
  int input_index = 0;         // which of node's outputs the gradient is for
};

class Node : public std::enable_shared_from_this<Node> {
 public:
  virtual ~Node() = default;
  // Gradients with respect to each input (one per next edge; undefined = zero), given the
  // gradients of each output. Outputs that received no gradient arrive as zeros.
  virtual VariableList apply(const VariableList& output_grads) = 0;
  virtual std::string name() const = 0;

  std::vector<Edge> next_edges;
  std::vector<Shape> output_shapes;  // to make zeros for outputs that received no gradient
  DType output_dtype = DType::f32;
  Device output_device;
};

// A leaf's gradient sink: the engine adds what arrives here to the leaf's .grad.
class AccumulateGrad : public Node {
 public:
  explicit AccumulateGrad(std::shared_ptr<VariableImpl> leaf) : leaf(std::move(leaf)) {}
  VariableList apply(const VariableList& output_grads) override;
  std::string name() const override { return "AccumulateGrad"; }
  std::shared_ptr<VariableImpl> leaf;
};

// What a backward function can ask for while it runs.
class BackwardContext {
 public:
  BackwardContext(Node& node, const std::vector<Tensor>& saved_outputs, const std::vector<Edge>& edges)
      : node_(node), saved_outputs_(saved_outputs), edges_(edges) {}
  // Output `index` of the op, reconnected to this node so that gradients of gradients flow
  // through it (saving the Variable itself would make a reference cycle).
  Variable output(int index = 0) const;
  // False when input `index` needs no gradient: the backward function may skip computing it.
  bool needs_grad(int index) const { return edges_[index].node != nullptr; }

 private:
  Node& node_;
  const std::vector<Tensor>& saved_outputs_;
  const std::vector<Edge>& edges_;
};

using BackwardFunction = std::function<VariableList(BackwardContext&, const VariableList& output_grads)>;

// The node every op uses: a name, a backward lambda, and the outputs saved when asked for.
class FunctionNode : public Node {
 public:
  FunctionNode(std::string name, BackwardFunction backward) : name_(std::move(name)), backward_(std::move(backward)) {}
  VariableList apply(const VariableList& output_grads) override;
  std::string name() const override { return name_; }
  std::vector<Tensor> saved_outputs;

 private:
  std::string name_;
  BackwardFunction backward_;
};

// Whether an op on `inputs` must record itself: grad mode is on and some input requires grad.
bool needs_recording(const VariableList& inputs);

// Wraps the op's results as Variables. When recording is needed, makes a FunctionNode with
// `backward` and edges to `inputs`; `save_outputs` keeps the output data for ctx.output().
//   return record("tanh", {y}, {x}, backward, /*save_outputs=*/true)[0];
VariableList record(const char* name, const std::vector<Tensor>& outputs, const VariableList& inputs,
                    BackwardFunction backward, bool save_outputs = false);
// The single-output form.
Variable record_one(const char* name, const Tensor& output, const VariableList& inputs,
                    BackwardFunction backward, bool save_output = false);

}  // namespace dforge
