#include "runtime/fill.h"

#include "runtime/dispatch.h"

namespace dforge::runtime {

void fill(Tensor& tensor, double value) {
  check_same_device("fill", tensor);
  DFORGE_ROUTE(tensor.device(), fill, tensor, value);
}

Tensor cast(const Tensor& x, DType dtype) {
  check_same_device("cast", x);
  Tensor out = Tensor::empty(x.shape(), dtype, x.device());
  DFORGE_ROUTE(x.device(), cast, x, out);
  return out;
}

}  // namespace dforge::runtime
