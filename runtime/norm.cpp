// The public normalisation ops: validate axes, eps, shapes and dtypes, allocate, route to a kernel.
#include "runtime/norm.h"

#include <algorithm>

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {
std::string axes_str(const std::vector<int>& axes) {
  Shape as_shape(axes.begin(), axes.end());
  return shape_str(as_shape);
}
}  // namespace

Shape normalized_statistics_shape(const Shape& shape, std::vector<int>& axes, const char* op) {
  const int ndim = int(shape.size());
  DFORGE_CHECK(ndim > 0, op, ": cannot normalise a 0-d tensor");
  DFORGE_CHECK(!axes.empty(), op, ": no axes to normalise over (input ", shape_str(shape), ")");
  for (int& axis : axes) axis = normalize_axis(axis, ndim, op);
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  Shape statistics = shape;
  int64_t count = 1;
  for (int axis : axes) {
    count *= shape[axis];
    statistics[axis] = 1;
  }
  DFORGE_CHECK(count > 0, op, ": normalising over axes ", axes_str(axes), " of ", shape_str(shape),
               " gives empty groups");
  return statistics;
}

NormalizeResult normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps) {
  check_same_device("normalize_forward", x);
  DFORGE_CHECK(is_floating(x.dtype()), "normalize_forward: needs a floating tensor, got ", x.describe());
  DFORGE_CHECK(eps >= 0, "normalize_forward: eps must be >= 0, got ", eps);
  std::vector<int> normalized_axes = axes;
  Shape statistics = normalized_statistics_shape(x.shape(), normalized_axes, "normalize_forward");
  NormalizeResult result;
  result.output = Tensor::empty(x.shape(), x.dtype(), x.device());
  result.mean = Tensor::empty(statistics, x.dtype(), x.device());
  result.var = Tensor::empty(statistics, x.dtype(), x.device());
  result.rstd = Tensor::empty(statistics, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), normalize_forward, x, normalized_axes, eps, result.output, result.mean, result.var,
               result.rstd);
  return result;
}

Tensor normalize_backward(const Tensor& grad_output, const Tensor& normalized, const Tensor& rstd,
                          const std::vector<int>& axes) {
  check_same_device("normalize_backward", grad_output, normalized, rstd);
  check_same_dtype("normalize_backward", grad_output, normalized, rstd);
  DFORGE_CHECK(is_floating(grad_output.dtype()), "normalize_backward: needs floating tensors, got ",
               grad_output.describe());
  DFORGE_CHECK(grad_output.shape() == normalized.shape(), "normalize_backward: grad_output ",
               shape_str(grad_output.shape()), " and normalized ", shape_str(normalized.shape()), " differ");
  std::vector<int> normalized_axes = axes;
  Shape statistics = normalized_statistics_shape(normalized.shape(), normalized_axes, "normalize_backward");
  DFORGE_CHECK(rstd.shape() == statistics, "normalize_backward: rstd ", shape_str(rstd.shape()),
               " should be ", shape_str(statistics), " for input ", shape_str(normalized.shape()), " over axes ",
               axes_str(normalized_axes));
  Tensor grad_input = Tensor::empty(normalized.shape(), normalized.dtype(), normalized.device());
  DFORGE_ROUTE(normalized.device(), normalize_backward, grad_output, normalized, rstd, normalized_axes, grad_input);
  return grad_input;
}

}  // namespace dforge::runtime
