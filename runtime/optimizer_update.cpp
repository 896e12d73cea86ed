#include "runtime/optimizer_update.h"

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {
void check_like(const char* op, const Tensor& parameter, const Tensor& other, const char* what) {
  check_same_device(op, parameter, other);
  check_same_dtype(op, parameter, other);
  DFORGE_CHECK(other.shape() == parameter.shape(), op, ": ", what, " ", shape_str(other.shape()),
               " does not match the parameter ", shape_str(parameter.shape()));
}
}  // namespace

void sgd_update(Tensor& parameter, const Tensor& grad, Tensor& momentum_buffer, const SgdStep& step) {
  check_like("sgd", parameter, grad, "gradient");
  if (step.momentum != 0) check_like("sgd", parameter, momentum_buffer, "momentum buffer");
  DFORGE_ROUTE(parameter.device(), sgd_update, parameter, grad, momentum_buffer, step);
}

void adam_update(Tensor& parameter, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq, const AdamStep& step) {
  check_like("adam", parameter, grad, "gradient");
  check_like("adam", parameter, exp_avg, "exp_avg");
  check_like("adam", parameter, exp_avg_sq, "exp_avg_sq");
  DFORGE_ROUTE(parameter.device(), adam_update, parameter, grad, exp_avg, exp_avg_sq, step);
}

}  // namespace dforge::runtime
