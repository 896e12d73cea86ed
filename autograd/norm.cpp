// Norm layers as differentiable functions: normalize() records one node; batch and instance norm
// record the same node with their per-channel affine fused in, and add validation and running
// statistics; channel norm is normalize() over axis 1.
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

// [1, C, 1, ...]: a per-channel vector shaped to broadcast over an [N, C, ...] input of `ndim` dims.
Shape per_channel_shape(int64_t channels, int ndim) {
  Shape shape(size_t(ndim), 1);
  shape[1] = channels;
  return shape;
}

// Every axis of an [N, C, ...] input but the channel axis 1: the per-channel reductions.
std::vector<int> axes_but_channels(int ndim) {
  std::vector<int> axes = {0};
  for (int d = 2; d < ndim; ++d) axes.push_back(d);
  return axes;
}

Variable variable_or_undefined(const Tensor& tensor) { return tensor.defined() ? Variable(tensor) : Variable(); }

// The gradients of y = xhat * weight + bias, xhat = (x - mean) * rstd, written with differentiable
// ops (used under create_graph):
//   dxhat = dy * weight,  dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),
//   dweight = sum(dy * xhat),  dbias = sum(dy)   (sums over every axis but 1),
// with rstd = 1 / sqrt(var(x) + eps) and xhat recomputed from x, so both carry their dependence on x
// into the second-order graph. A gradient that no input needs is left undefined.
VariableList normalize_affine_gradient(const BackwardContext& ctx, const Variable& x, const Variable& weight,
                                       const Variable& dy, const std::vector<int>& axes, double eps) {
  Variable rstd = rsqrt(var(x, axes, /*keepdim=*/true, /*correction=*/0) + eps);
  Variable normalized = (x - mean(x, axes, true)) * rstd;
  VariableList gradients(3);
  if (ctx.needs_grad(0)) {
    Variable dnormalized = weight.defined() ? dy * reshape(weight, per_channel_shape(x.size(1), x.ndim())) : dy;
    gradients[0] = rstd * (dnormalized - mean(dnormalized, axes, true) -
                           normalized * mean(dnormalized * normalized, axes, true));
  }
  if (ctx.needs_grad(1)) gradients[1] = sum(dy * normalized, axes_but_channels(x.ndim()));
  if (ctx.needs_grad(2)) gradients[2] = sum(dy, axes_but_channels(x.ndim()));
  return gradients;
}

// normalize() with the per-channel affine of batch and instance norm (weight and bias [C] or
// undefined, axis 1 not in `axes`): one fused kernel forward, one node with inputs (x, weight,
// bias). The plain backward runs the fused gradient kernel on x and the saved mean and rstd (the
// output is not kept: it cannot give xhat back when a weight is 0); under create_graph it runs the
// differentiable composition above.
Variable normalize_affine(const char* op, const Variable& x, const Variable& weight, const Variable& bias,
                          const std::vector<int>& axes, double eps, Tensor* mean_out = nullptr,
                          Tensor* var_out = nullptr) {
  DFORGE_CHECK(x.defined(), op, ": input is undefined");
  runtime::NormalizeResult result = runtime::normalize_forward(
      x.data(), axes, eps, weight.defined() ? weight.data() : Tensor(), bias.defined() ? bias.data() : Tensor());
  if (mean_out) *mean_out = result.mean;
  if (var_out) *var_out = result.var;
  return record_one(op, result.output, {x, weight, bias},
                    [x, weight, axes, eps, mean = result.mean, rstd = result.rstd](
                        BackwardContext& ctx, const VariableList& g) -> VariableList {
    if (!GradMode::is_enabled()) {  // plain backward: the fused kernel
      runtime::NormalizeGradients gradients = runtime::normalize_backward(
          g[0].data(), x.data(), mean, rstd, axes, weight.defined() ? weight.data() : Tensor(),
          {ctx.needs_grad(0), ctx.needs_grad(1), ctx.needs_grad(2)});
      return {variable_or_undefined(gradients.input), variable_or_undefined(gradients.weight),
              variable_or_undefined(gradients.bias)};
    }
    return normalize_affine_gradient(ctx, x, weight, g[0], axes, eps);
  });
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
  Tensor batch_mean, batch_var;
  Variable y = normalize_affine("batch_norm", x, weight, bias, axes_but_channels(x.ndim()), eps, &batch_mean,
                                &batch_var);
  if (running_mean.defined()) {
    // Bessel's correction: the running variance estimates the population variance.
    const double unbiased = double(per_channel) / double(per_channel - 1);
    update_running(running_mean, batch_mean, momentum);
    update_running(running_var, runtime::affine(batch_var, unbiased, 0.0), momentum);
  }
  return y;
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
  return normalize_affine("normalize", x, Variable(), Variable(), axes, eps, mean_out, var_out);
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
  return normalize_affine("instance_norm", x, weight, bias, axes_from(2, x.ndim()), eps);
}

Variable channel_norm(const Variable& x, double eps) {
  check_has_channels("channel_norm", x, 2, "[N, C, ...]");
  return normalize(x, {1}, eps);
}

}  // namespace dforge
