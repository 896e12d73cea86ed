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

bool normalises_channels(const std::vector<int>& axes) {
  return std::binary_search(axes.begin(), axes.end(), 1);
}

// A per-channel affine needs x [N, C, ...] with axis 1 kept; `what` names the weight, bias or
// gradient that asks for it.
void check_channels_kept(const char* op, const char* what, const Tensor& x, const std::vector<int>& axes) {
  DFORGE_CHECK(x.ndim() >= 2, op, ": a per-channel ", what, " needs an input [N, C, ...], got ",
               shape_str(x.shape()));
  DFORGE_CHECK(!normalises_channels(axes), op, ": a per-channel ", what, " needs axis 1 kept, but axes ",
               axes_str(axes), " normalise it (input ", shape_str(x.shape()), ")");
}

// A defined weight or bias must be [C] = [x.size(1)] with x's dtype and device.
void check_affine_parameter(const char* op, const char* name, const Tensor& parameter, const Tensor& x,
                            const std::vector<int>& axes) {
  if (!parameter.defined()) return;
  check_channels_kept(op, name, x, axes);
  DFORGE_CHECK(parameter.shape() == Shape{x.size(1)}, op, ": ", name, " ", shape_str(parameter.shape()),
               " should be [", x.size(1), "] for input ", shape_str(x.shape()));
  check_same_device(op, x, parameter);
  check_same_dtype(op, x, parameter);
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

ChannelOfGroup channel_of_group(const Shape& shape, const std::vector<int>& axes) {
  ChannelOfGroup mapping;
  if (shape.size() < 2 || normalises_channels(axes)) return mapping;
  mapping.channels = shape[1];
  for (size_t d = 2; d < shape.size(); ++d) {
    if (!std::binary_search(axes.begin(), axes.end(), int(d))) mapping.stride *= shape[d];
  }
  return mapping;
}

NormalizeResult normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, const Tensor& weight,
                                  const Tensor& bias) {
  check_same_device("normalize_forward", x);
  DFORGE_CHECK(is_floating(x.dtype()), "normalize_forward: needs a floating tensor, got ", x.describe());
  DFORGE_CHECK(eps >= 0, "normalize_forward: eps must be >= 0, got ", eps);
  std::vector<int> normalized_axes = axes;
  Shape statistics = normalized_statistics_shape(x.shape(), normalized_axes, "normalize_forward");
  check_affine_parameter("normalize_forward", "weight", weight, x, normalized_axes);
  check_affine_parameter("normalize_forward", "bias", bias, x, normalized_axes);
  NormalizeResult result;
  result.output = Tensor::empty(x.shape(), x.dtype(), x.device());
  result.mean = Tensor::empty(statistics, x.dtype(), x.device());
  result.var = Tensor::empty(statistics, x.dtype(), x.device());
  result.rstd = Tensor::empty(statistics, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), normalize_forward, x, normalized_axes, eps, weight, bias, result.output, result.mean,
               result.var, result.rstd);
  return result;
}

NormalizeGradients normalize_backward(const Tensor& grad_output, const Tensor& x, const Tensor& mean,
                                      const Tensor& rstd, const std::vector<int>& axes, const Tensor& weight,
                                      NormalizeGradientRequest request) {
  check_same_device("normalize_backward", grad_output, x, mean, rstd);
  check_same_dtype("normalize_backward", grad_output, x, mean, rstd);
  DFORGE_CHECK(is_floating(x.dtype()), "normalize_backward: needs floating tensors, got ", x.describe());
  DFORGE_CHECK(grad_output.shape() == x.shape(), "normalize_backward: grad_output ", shape_str(grad_output.shape()),
               " and x ", shape_str(x.shape()), " differ");
  std::vector<int> normalized_axes = axes;
  Shape statistics = normalized_statistics_shape(x.shape(), normalized_axes, "normalize_backward");
  auto check_statistic = [&](const char* name, const Tensor& statistic) {
    DFORGE_CHECK(statistic.shape() == statistics, "normalize_backward: ", name, " ", shape_str(statistic.shape()),
                 " should be ", shape_str(statistics), " for input ", shape_str(x.shape()), " over axes ",
                 axes_str(normalized_axes));
  };
  check_statistic("mean", mean);
  check_statistic("rstd", rstd);
  check_affine_parameter("normalize_backward", "weight", weight, x, normalized_axes);
  if (request.weight) check_channels_kept("normalize_backward", "weight gradient", x, normalized_axes);
  if (request.bias) check_channels_kept("normalize_backward", "bias gradient", x, normalized_axes);
  NormalizeGradients gradients;
  if (request.input) gradients.input = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (request.weight) gradients.weight = Tensor::empty({x.size(1)}, x.dtype(), x.device());
  if (request.bias) gradients.bias = Tensor::empty({x.size(1)}, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), normalize_backward, grad_output, x, mean, rstd, normalized_axes, weight, gradients.input,
               gradients.weight, gradients.bias);
  return gradients;
}

}  // namespace dforge::runtime
