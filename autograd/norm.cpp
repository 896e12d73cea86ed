// Norm layers as differentiable functions: normalize() records one node; batch, instance and channel
// norm add validation, running statistics and the per-channel affine on top of it.
#include "autograd/norm.h"

#include "autograd/elementwise.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "autograd/reduce.h"
#include "runtime/dispatch.h"
#include "runtime/elementwise.h"
#include "runtime/norm.h"

namespace dforge {

namespace {

// The gradient of y = (x - mean) * rstd written with differentiable ops (used under create_graph):
//   dx = rstd * (dy - mean(dy) - y * mean(dy * y)),  rstd = 1 / sqrt(var(x) + eps).
// y is the op's own output reconnected to its node, and rstd is recomputed from x, so both carry
// their dependence on x into the second-order graph.
Variable normalize_gradient(const Variable& x, const Variable& y, const Variable& dy, const std::vector<int>& axes,
                            double eps) {
  Variable rstd = rsqrt(var(x, axes, /*keepdim=*/true, /*correction=*/0) + eps);
  return rstd * (dy - mean(dy, axes, true) - y * mean(dy * y, axes, true));
}

// [1, C, 1, ...]: a per-channel vector shaped to broadcast over an [N, C, ...] input of `ndim` dims.
Shape per_channel_shape(int64_t channels, int ndim) {
  Shape shape(size_t(ndim), 1);
  shape[1] = channels;
  return shape;
}

std::vector<int> axes_from(int first, int ndim) {
  std::vector<int> axes;
  for (int d = first; d < ndim; ++d) axes.push_back(d);
  return axes;
}

void check_has_channels(const char* op, const Variable& x, int minimum_ndim, const char* layout) {
  DFORGE_CHECK(x.defined(), op, ": input is undefined");
  DFORGE_CHECK(x.ndim() >= minimum_ndim, op, ": input ", shape_str(x.shape()), " should be ", layout);
}

// A per-channel tensor (weight, bias, running statistic) must be [C] with x's dtype and device.
void check_per_channel(const char* op, const char* name, const Tensor& parameter, const Variable& x) {
  const int64_t channels = x.size(1);
  DFORGE_CHECK(parameter.shape() == Shape{channels}, op, ": ", name, " has shape ", shape_str(parameter.shape()),
               ", input ", shape_str(x.shape()), " has ", channels, " channels");
  check_same_device(op, x.data(), parameter);
  check_same_dtype(op, x.data(), parameter);
}

void check_affine(const char* op, const Variable& x, const Variable& weight, const Variable& bias) {
  if (weight.defined()) check_per_channel(op, "weight", weight.data(), x);
  if (bias.defined()) check_per_channel(op, "bias", bias.data(), x);
}

// y * weight + bias per channel; either may be undefined.
Variable apply_affine(const Variable& y, const Variable& weight, const Variable& bias) {
  const Shape shape = per_channel_shape(y.size(1), y.ndim());
  Variable result = y;
  if (weight.defined()) result = result * reshape(weight, shape);
  if (bias.defined()) result = result + reshape(bias, shape);
  return result;
}

// running = (1 - momentum) * running + momentum * statistic, in place (the caller's buffer is a
// module's state). `statistic` is [1, C, 1, ...].
void update_running(Tensor& running, const Tensor& statistic, double momentum) {
  Tensor per_channel = statistic.reshape(running.shape());
  running.copy_from(runtime::add(runtime::affine(running, 1.0 - momentum, 0.0),
                                 runtime::affine(per_channel, momentum, 0.0)));
}

Variable batch_norm_training(const Variable& x, const Variable& weight, const Variable& bias, Tensor& running_mean,
                             Tensor& running_var, double momentum, double eps) {
  const int64_t per_channel = x.numel() / x.size(1);
  DFORGE_CHECK(per_channel > 1, "batch_norm: training needs more than one value per channel, got input ",
               shape_str(x.shape()));
  std::vector<int> axes = axes_from(2, x.ndim());
  axes.insert(axes.begin(), 0);
  Tensor batch_mean, batch_var;
  Variable y = normalize(x, axes, eps, &batch_mean, &batch_var);
  if (running_mean.defined()) {
    // Bessel's correction: the running variance estimates the population variance.
    const double unbiased = double(per_channel) / double(per_channel - 1);
    update_running(running_mean, batch_mean, momentum);
    update_running(running_var, runtime::affine(batch_var, unbiased, 0.0), momentum);
  }
  return apply_affine(y, weight, bias);
}

// y = x * scale + shift per channel with scale = weight / sqrt(running_var + eps) and
// shift = bias - running_mean * scale: one fused affine instead of four passes.
Variable batch_norm_eval(const Variable& x, const Variable& weight, const Variable& bias, const Tensor& running_mean,
                         const Tensor& running_var, double eps) {
  Variable scale(runtime::unary(math::UnaryOp::rsqrt, runtime::affine(running_var, 1.0, eps)));
  if (weight.defined()) scale = weight * scale;
  Variable shift = Variable(runtime::affine(running_mean, -1.0, 0.0)) * scale;
  if (bias.defined()) shift = shift + bias;
  const Shape shape = per_channel_shape(x.size(1), x.ndim());
  return x * reshape(scale, shape) + reshape(shift, shape);
}

}  // namespace

Variable normalize(const Variable& x, const std::vector<int>& axes, double eps, Tensor* mean_out, Tensor* var_out) {
  DFORGE_CHECK(x.defined(), "normalize: input is undefined");
  runtime::NormalizeResult result = runtime::normalize_forward(x.data(), axes, eps);
  if (mean_out) *mean_out = result.mean;
  if (var_out) *var_out = result.var;
  return record_one("normalize", result.output, {x},
                    [x, axes, eps, mean = result.mean, rstd = result.rstd](BackwardContext& ctx,
                                                                           const VariableList& g) -> VariableList {
    if (!GradMode::is_enabled()) {  // plain backward: the fused kernel
      return {Variable(runtime::normalize_backward(g[0].data(), x.data(), mean, rstd, axes).input)};
    }
    return {normalize_gradient(x, ctx.output(), g[0], axes, eps)};
  }, /*save_output=*/true);
}

Variable batch_norm(const Variable& x, const Variable& weight, const Variable& bias, Tensor& running_mean,
                    Tensor& running_var, bool training, double momentum, double eps) {
  check_has_channels("batch_norm", x, 2, "[N, C, ...]");
  check_affine("batch_norm", x, weight, bias);
  DFORGE_CHECK(running_mean.defined() == running_var.defined(),
               "batch_norm: running_mean and running_var must both be given or both be undefined");
  if (running_mean.defined()) {
    check_per_channel("batch_norm", "running_mean", running_mean, x);
    check_per_channel("batch_norm", "running_var", running_var, x);
  }
  if (training) return batch_norm_training(x, weight, bias, running_mean, running_var, momentum, eps);
  DFORGE_CHECK(running_mean.defined(), "batch_norm: eval mode needs running_mean and running_var (input ",
               shape_str(x.shape()), ")");
  DFORGE_CHECK(eps >= 0, "batch_norm: eps must be >= 0, got ", eps);
  return batch_norm_eval(x, weight, bias, running_mean, running_var, eps);
}

Variable instance_norm(const Variable& x, const Variable& weight, const Variable& bias, double eps) {
  check_has_channels("instance_norm", x, 3, "[N, C, spatial...] with at least one spatial dim");
  check_affine("instance_norm", x, weight, bias);
  return apply_affine(normalize(x, axes_from(2, x.ndim()), eps), weight, bias);
}

Variable channel_norm(const Variable& x, double eps) {
  check_has_channels("channel_norm", x, 2, "[N, C, ...]");
  return normalize(x, {1}, eps);
}

}  // namespace dforge
