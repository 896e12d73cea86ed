#include "runtime/reduce.h"

#include <algorithm>
#include <cmath>

#include "runtime/dispatch.h"

namespace dforge::runtime {

Shape reduced_shape(const Shape& shape, std::vector<int>& axes, bool keepdim, const char* op) {
  const int ndim = int(shape.size());
  if (axes.empty()) {
    for (int d = 0; d < ndim; ++d) axes.push_back(d);
  }
  for (int& axis : axes) axis = normalize_axis(axis, ndim, op);
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  Shape out;
  for (int d = 0; d < ndim; ++d) {
    bool reduced = std::binary_search(axes.begin(), axes.end(), d);
    if (!reduced) out.push_back(shape[d]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}

Tensor reduce(ReduceOp op, const Tensor& x, const std::vector<int>& axes, bool keepdim, int correction) {
  static const char* names[] = {"sum", "mean", "max", "min", "var"};
  const char* name = names[int(op)];
  check_same_device(name, x);
  std::vector<int> normalized = axes;
  Shape shape = reduced_shape(x.shape(), normalized, keepdim, name);
  int64_t count = 1;
  for (int axis : normalized) count *= x.shape()[axis];
  DFORGE_CHECK(count > 0 || op == ReduceOp::sum, name, ": reducing zero elements of ", x.describe());
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  if (x.ndim() == 0) {  // a 0-d tensor reduces to itself (var of one element is 0 / (1 - correction))
    out.copy_from(x.reshape(shape));
    if (op == ReduceOp::var) out = Tensor::full(shape, correction == 0 ? 0.0 : NAN, x.dtype(), x.device());
    return out;
  }
  DFORGE_ROUTE(x.device(), reduce, op, x, normalized, correction, out);
  return out;
}

Tensor argmax(const Tensor& x, int axis) {
  check_same_device("argmax", x);
  std::vector<int> axes = {axis};
  Shape shape = reduced_shape(x.shape(), axes, false, "argmax");
  DFORGE_CHECK(x.shape()[axes[0]] > 0, "argmax: axis ", axis, " of ", x.describe(), " is empty");
  Tensor out = Tensor::empty(shape, DType::i32, x.device());
  DFORGE_ROUTE(x.device(), argmax, x, axes[0], out);
  return out;
}

}  // namespace dforge::runtime
