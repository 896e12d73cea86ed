#include "autograd/variable.h"

#include "autograd/node.h"
#include "runtime/error.h"

namespace dforge {

Variable::Variable(Tensor data, bool requires_grad) : impl_(std::make_shared<VariableImpl>()) {
  DFORGE_CHECK(data.defined(), "Variable: made from an undefined tensor");
  DFORGE_CHECK(!requires_grad || is_floating(data.dtype()), "Variable: only floating tensors can require grad, got ",
               data.describe());
  impl_->data = std::move(data);
  impl_->requires_grad = requires_grad;
}

Variable::Variable(Tensor data, std::shared_ptr<Node> grad_fn, int output_index)
    : impl_(std::make_shared<VariableImpl>()) {
  impl_->data = std::move(data);
  impl_->requires_grad = grad_fn != nullptr;
  impl_->grad_fn = std::move(grad_fn);
  impl_->output_index = output_index;
}

const Tensor& Variable::data() const {
  DFORGE_CHECK(impl_, "use of an undefined Variable");
  return impl_->data;
}

void Variable::set_data(const Tensor& data) {
  DFORGE_CHECK(impl_, "set_data on an undefined Variable");
  impl_->data = data;
}

Variable& Variable::set_requires_grad(bool requires_grad) {
  DFORGE_CHECK(is_leaf(), "set_requires_grad: only leaves can be switched; this is the result of ",
               impl_->grad_fn->name());
  DFORGE_CHECK(!requires_grad || is_floating(dtype()), "set_requires_grad: ", describe(), " is not floating");
  impl_->requires_grad = requires_grad;
  return *this;
}

Variable Variable::grad() const {
  Variable result;
  if (impl_ && impl_->grad) result.impl_ = impl_->grad;
  return result;
}

void Variable::set_grad(const Variable& grad) {
  DFORGE_CHECK(impl_, "set_grad on an undefined Variable");
  DFORGE_CHECK(!grad.defined() || grad.shape() == shape(), "set_grad: gradient ", grad.describe(),
               " does not match ", describe());
  impl_->grad = grad.impl_;
}

void Variable::clear_grad() {
  if (impl_) impl_->grad.reset();
}

const std::shared_ptr<Node>& Variable::grad_fn() const {
  static const std::shared_ptr<Node> none;
  return impl_ ? impl_->grad_fn : none;
}

std::shared_ptr<Node> Variable::grad_accumulator() const {
  DFORGE_CHECK(impl_ && is_leaf() && impl_->requires_grad, "grad_accumulator: not a leaf that requires grad");
  std::shared_ptr<Node> accumulator = impl_->grad_accumulator.lock();
  if (!accumulator) {
    accumulator = std::make_shared<AccumulateGrad>(impl_);
    accumulator->output_shapes = {shape()};
    accumulator->output_dtype = dtype();
    accumulator->output_device = device();
    impl_->grad_accumulator = accumulator;
  }
  return accumulator;
}

}  // namespace dforge
