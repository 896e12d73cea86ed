// Variable: a Tensor that autograd can differentiate. It holds the data, whether gradients are
// wanted (leaves set requires_grad; results inherit it), the accumulated .grad of a leaf, and for
// a result the node that made it (grad_fn) and which of that node's outputs it is.
// Copying a Variable copies a handle: both copies see the same grad and data.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/tensor.h"

namespace dforge {

class Node;
class Variable;
using VariableList = std::vector<Variable>;

struct VariableImpl {
  Tensor data;
  bool requires_grad = false;
  std::shared_ptr<VariableImpl> grad;   // leaves only: the accumulated gradient
  std::shared_ptr<Node> grad_fn;        // results only: the node that computed this
  int output_index = 0;                 // which output of grad_fn this is
  std::weak_ptr<Node> grad_accumulator; // leaves only: the node that accumulates into .grad
};

class Variable {
 public:
  Variable() = default;  // undefined
  explicit Variable(Tensor data, bool requires_grad = false);
  // A result of `grad_fn` (used by ops when they record themselves).
  Variable(Tensor data, std::shared_ptr<Node> grad_fn, int output_index);

  bool defined() const { return impl_ != nullptr; }
  const Tensor& data() const;
  // Replaces the data in place (optimizer updates, loading weights); keeps the graph identity.
  void set_data(const Tensor& data);

  const Shape& shape() const { return data().shape(); }
  int ndim() const { return data().ndim(); }
  int64_t size(int64_t axis) const { return data().size(axis); }
  int64_t numel() const { return data().numel(); }
  DType dtype() const { return data().dtype(); }
  Device device() const { return data().device(); }
  double item() const { return data().item(); }
  std::string describe() const { return data().describe(); }

  bool requires_grad() const { return impl_ && impl_->requires_grad; }
  // Only leaves (no grad_fn) can be switched; results follow their inputs.
  Variable& set_requires_grad(bool requires_grad);
  bool is_leaf() const { return !impl_ || impl_->grad_fn == nullptr; }

  // The accumulated gradient of a leaf after backward(); undefined until then.
  Variable grad() const;
  void set_grad(const Variable& grad);
  void clear_grad();

  // The same data, cut from the graph: a leaf that does not require grad.
  Variable detach() const { return Variable(data(), false); }

  const std::shared_ptr<Node>& grad_fn() const;
  int output_index() const { return impl_ ? impl_->output_index : 0; }
  // The node that accumulates gradients into this leaf, created on first use.
  std::shared_ptr<Node> grad_accumulator() const;

  bool same(const Variable& other) const { return impl_ == other.impl_; }
  const std::shared_ptr<VariableImpl>& impl() const { return impl_; }

 private:
  std::shared_ptr<VariableImpl> impl_;
};

}  // namespace dforge
