#include "autograd/engine.h"

#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "autograd/elementwise.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"

namespace dforge {

namespace {

// Adds `gradient` into `slot`. With create_graph the sum is itself recorded.
void accumulate(Variable& slot, const Variable& gradient, bool create_graph) {
  if (!gradient.defined()) return;
  if (!slot.defined()) {
    slot = gradient;
  } else if (create_graph) {
    slot = slot + gradient;
  } else {
    slot = Variable(runtime::add(slot.data(), gradient.data()));
  }
}

void accumulate_into_leaf(VariableImpl& leaf, const Variable& gradient, bool create_graph) {
  DFORGE_CHECK(gradient.shape() == leaf.data.shape(), "backward: gradient ", gradient.describe(),
               " does not match its leaf ", leaf.data.describe());
  if (!leaf.grad) {
    // The leaf must own its gradient's memory, since a later backward adds into it in place. The
    // incoming gradient may be shared (add passes one gradient to both inputs; the seed may be the
    // caller's): then it is copied. A gradient nothing else refers to, the usual case, is kept as
    // it is, as PyTorch's AccumulateGrad does, saving a copy per leaf.
    const bool sole_owner = gradient.impl().use_count() == 1 && gradient.data().owns_storage_alone();
    Variable stored = create_graph ? gradient : Variable(sole_owner ? gradient.data() : gradient.data().clone());
    leaf.grad = stored.impl();
  } else if (create_graph) {
    leaf.grad = (Variable(leaf.grad->data, leaf.grad->grad_fn, leaf.grad->output_index) + gradient).impl();
  } else {
    runtime::add_in_place(leaf.grad->data, gradient.data());
  }
}

Variable zeros_like_output(const Node& node, int index) {
  return Variable(Tensor::zeros(node.output_shapes[index], node.output_dtype, node.output_device));
}

struct Target {
  Node* node = nullptr;
  int index = 0;
};

// One run of the engine over the graph reachable from `outputs`.
class GraphTask {
 public:
  GraphTask(bool create_graph, std::vector<Target> targets)
      : create_graph_(create_graph), targets_(std::move(targets)), captured_(targets_.size()) {}

  VariableList run(const VariableList& outputs, const VariableList& grad_outputs) {
    std::vector<std::pair<std::shared_ptr<Node>, Variable>> roots;  // (node, seed), seed on index
    std::vector<int> root_indices;
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Variable& output = outputs[i];
      DFORGE_CHECK(output.requires_grad(), "backward: output ", i, " (", output.describe(),
                   ") does not require grad: nothing to differentiate");
      Variable seed;
      if (i < grad_outputs.size() && grad_outputs[i].defined()) {
        seed = grad_outputs[i];
        DFORGE_CHECK(seed.shape() == output.shape(), "backward: grad_output ", seed.describe(),
                     " does not match output ", output.describe());
      } else {
        DFORGE_CHECK(output.numel() == 1, "backward: output ", output.describe(),
                     " has more than one element; pass its gradient explicitly");
        seed = Variable(Tensor::full(output.shape(), 1.0, output.dtype(), output.device()));
      }
      std::shared_ptr<Node> node = output.is_leaf() ? output.grad_accumulator() : output.grad_fn();
      roots.emplace_back(node, seed);
      root_indices.push_back(output.output_index());
    }
    collect(roots);
    for (size_t i = 0; i < roots.size(); ++i) {
      Node* node = roots[i].first.get();
      if (!leads_to_target(node)) continue;
      buffer_of(node)[root_indices[i]] = seed_sum(buffer_of(node)[root_indices[i]], roots[i].second);
    }
    std::deque<Node*> ready;
    for (auto& [node, seed] : roots) {
      if (dependencies_[node.get()] == 0 && leads_to_target(node.get()) && !queued_.count(node.get())) {
        ready.push_back(node.get());
        queued_.insert(node.get());
      }
    }
    while (!ready.empty()) {
      Node* node = ready.front();
      ready.pop_front();
      execute(node, ready);
    }
    return captured_;
  }

 private:
  Variable seed_sum(const Variable& slot, const Variable& seed) {
    Variable result = slot;
    accumulate(result, seed, create_graph_);
    return result;
  }

  VariableList& buffer_of(Node* node) {
    auto [it, inserted] = buffers_.try_emplace(node);
    if (inserted) it->second.resize(std::max<size_t>(node->output_shapes.size(), 1));
    return it->second;
  }

  bool capturing() const { return !targets_.empty(); }

  // In grad() mode only the part of the graph that reaches a target runs; backward() runs it all.
  bool leads_to_target(Node* node) const { return !capturing() || leads_.count(node) > 0; }

  // Finds every node reachable from the roots, which of them lead to a target, and how many
  // gradient-carrying edges point at each node (its dependencies).
  void collect(const std::vector<std::pair<std::shared_ptr<Node>, Variable>>& roots) {
    std::vector<Node*> order;  // reverse post-order: parents before children
    std::unordered_set<Node*> seen;
    std::vector<std::pair<Node*, size_t>> stack;
    for (auto& root : roots) {
      if (seen.insert(root.first.get()).second) stack.emplace_back(root.first.get(), 0);
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < node->next_edges.size()) {
          Node* child = node->next_edges[next++].node.get();
          if (child && seen.insert(child).second) stack.emplace_back(child, 0);
        } else {
          order.push_back(node);
          stack.pop_back();
        }
      }
    }
    // Children appear before parents in `order`, so one pass settles "leads to a target".
    for (const Target& target : targets_) leads_.insert(target.node);
    for (Node* node : order) {
      for (const Edge& edge : node->next_edges) {
        if (edge.node && leads_.count(edge.node.get())) leads_.insert(node);
      }
    }
    for (Node* node : order) {
      if (!leads_to_target(node)) continue;
      for (const Edge& edge : node->next_edges) {
        if (edge.node && leads_to_target(edge.node.get())) ++dependencies_[edge.node.get()];
      }
    }
  }

  void execute(Node* node, std::deque<Node*>& ready) {
    VariableList grads = std::move(buffer_of(node));
    buffers_.erase(node);
    for (size_t t = 0; t < targets_.size(); ++t) {
      if (targets_[t].node == node) captured_[t] = grads[targets_[t].index];
    }
    if (auto* accumulator = dynamic_cast<AccumulateGrad*>(node)) {
      if (!capturing() && grads[0].defined()) accumulate_into_leaf(*accumulator->leaf, grads[0], create_graph_);
      return;
    }
    bool any_child_runs = false;
    for (const Edge& edge : node->next_edges) any_child_runs |= edge.node && leads_to_target(edge.node.get());
    if (!any_child_runs) return;  // a target whose own inputs are not needed
    for (size_t i = 0; i < grads.size(); ++i) {
      if (!grads[i].defined()) grads[i] = zeros_like_output(*node, int(i));
    }
    VariableList input_grads;
    {
      GradModeGuard mode(create_graph_);
      input_grads = node->apply(grads);
    }
    for (size_t i = 0; i < node->next_edges.size(); ++i) {
      const Edge& edge = node->next_edges[i];
      if (!edge.node || !leads_to_target(edge.node.get())) continue;
      Node* child = edge.node.get();
      accumulate(buffer_of(child)[edge.input_index], input_grads[i], create_graph_);
      if (--dependencies_[child] == 0) ready.push_back(child);
    }
  }

  bool create_graph_;
  std::vector<Target> targets_;
  VariableList captured_;
  std::unordered_set<Node*> leads_;
  std::unordered_map<Node*, int> dependencies_;
  std::unordered_map<Node*, VariableList> buffers_;
  std::unordered_set<Node*> queued_;
};

}  // namespace

void backward(const VariableList& outputs, const VariableList& grad_outputs, bool create_graph) {
  GraphTask(create_graph, {}).run(outputs, grad_outputs);
}

VariableList grad(const VariableList& outputs, const VariableList& inputs, const VariableList& grad_outputs,
                  bool create_graph, bool allow_unused) {
  DFORGE_CHECK(!inputs.empty(), "grad: no inputs to differentiate with respect to");
  std::vector<Target> targets;
  std::vector<std::shared_ptr<Node>> keep_alive;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Variable& input = inputs[i];
    DFORGE_CHECK(input.requires_grad(), "grad: input ", i, " (", input.describe(), ") does not require grad");
    std::shared_ptr<Node> node = input.is_leaf() ? input.impl()->grad_accumulator.lock() : input.grad_fn();
    targets.push_back({node.get(), input.output_index()});
    keep_alive.push_back(node);
  }
  VariableList result = GraphTask(create_graph, targets).run(outputs, grad_outputs);
  for (size_t i = 0; i < result.size(); ++i) {
    DFORGE_CHECK(result[i].defined() || allow_unused, "grad: input ", i, " (", inputs[i].describe(),
                 ") was not used to compute the outputs (pass allow_unused to get an undefined gradient)");
  }
  return result;
}

}  // namespace dforge
