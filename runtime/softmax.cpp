// Validation and output allocation for softmax and log_softmax.
#include "runtime/softmax.h"

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {
// Checks `x` for a softmax along `axis` and returns the axis made non-negative.
int softmax_axis(const Tensor& x, int axis, const char* op) {
  check_same_device(op, x);
  DFORGE_CHECK(is_floating(x.dtype()), op, ": needs a floating tensor (f32 or f64), got ", x.describe());
  DFORGE_CHECK(x.ndim() > 0, op, ": needs at least one dim, got ", x.describe());
  const int dim = normalize_axis(axis, x.ndim(), op);
  DFORGE_CHECK(x.shape()[dim] > 0, op, ": axis ", axis, " of ", x.describe(), " is empty");
  return dim;
}
}  // namespace

Tensor softmax(const Tensor& x, int axis) {
  const int dim = softmax_axis(x, axis, "softmax");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), softmax, x, dim, out);
  return out;
}

Tensor log_softmax(const Tensor& x, int axis) {
  const int dim = softmax_axis(x, axis, "log_softmax");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), log_softmax, x, dim, out);
  return out;
}

}  // namespace dforge::runtime
