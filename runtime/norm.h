// Normalisation over a set of axes, the core of batch, instance, layer and channel norms, with an
// optional per-channel affine (batch and instance norm's weight and bias):
//   xhat = (x - mean) * rstd,  rstd = 1 / sqrt(var + eps),  y = xhat * weight[c] + bias[c],
// with mean and the biased variance taken over `axes` for every index of the other (kept) axes,
// and c the index along axis 1 (which must then be kept). The forward is one fused kernel; its
// statistics are accumulated in double in a fixed order, so results are deterministic. The
// backward kernel is the closed form of the gradient, with xhat recomputed from x (never y / weight,
// since a weight may be 0); the weight is constant over every group because axis 1 is kept:
//   dx = rstd * weight[c] * (dy - mean(dy) - xhat * mean(dy * xhat))   (means over `axes`),
//   dweight[c] = sum(dy * xhat),  dbias[c] = sum(dy)   (sums over every axis but 1).
// The per-channel sums are the groups' sums folded over the groups of one channel in index order.
// Statistics (mean, var, rstd) have the keepdim shape: `x` with every normalised axis set to 1.
#pragma once

#include <vector>

#include "runtime/host_device.h"
#include "runtime/tensor.h"

namespace dforge::runtime {

struct NormalizeResult {
  Tensor output;  // shape of x: (x - mean) * rstd, times weight plus bias when given
  Tensor mean;    // keepdim shape
  Tensor var;     // keepdim shape, biased (divided by the group's element count)
  Tensor rstd;    // keepdim shape, 1 / sqrt(var + eps)
};

// Requires: x floating with at least one dim; `axes` non-empty, in range (negative counts from the
// end); every group non-empty; eps >= 0. weight and bias may each be undefined; a defined one needs
// x of at least 2 dims with axis 1 not in `axes`, shape [C] = [x.size(1)], x's dtype and device.
// The result tensors have x's dtype and device.
NormalizeResult normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps,
                                  const Tensor& weight = Tensor(), const Tensor& bias = Tensor());

// Which gradients normalize_backward computes (an unwanted one is left undefined).
struct NormalizeGradientRequest {
  bool input = true;
  bool weight = false;
  bool bias = false;
};

struct NormalizeGradients {
  Tensor input;   // shape of x
  Tensor weight;  // [C]
  Tensor bias;    // [C]
};

// The gradients of normalize_forward given the output gradient `grad_output`, the forward input `x`
// and the forward's `mean` and `rstd`, and its weight (undefined: 1). Requires grad_output and x of
// one shape, mean and rstd of the keepdim shape for `axes`, weight as normalize_forward's, all of
// one floating dtype and device; a weight or bias gradient requires axis 1 kept, as an affine does.
NormalizeGradients normalize_backward(const Tensor& grad_output, const Tensor& x, const Tensor& mean,
                                      const Tensor& rstd, const std::vector<int>& axes,
                                      const Tensor& weight = Tensor(), NormalizeGradientRequest request = {});

// The keepdim statistics shape of normalising `shape` over `axes`; validates and normalises
// `axes` (sorted, unique, non-negative) in place. Throws naming `op`.
Shape normalized_statistics_shape(const Shape& shape, std::vector<int>& axes, const char* op);

// Groups are numbered row-major over the keepdim statistics shape. When axis 1 is kept, group g
// belongs to channel (g / stride) % channels; otherwise (or for a 1-d x) every group is channel 0.
struct ChannelOfGroup {
  int64_t stride = 1, channels = 1;
  DFORGE_HOST_DEVICE int64_t operator()(int64_t group) const { return (group / stride) % channels; }
};
// `axes` sorted, unique, in range.
ChannelOfGroup channel_of_group(const Shape& shape, const std::vector<int>& axes);

}  // namespace dforge::runtime

namespace dforge::cpu {
// `axes` sorted, unique, non-empty; outputs allocated with the shapes documented above; weight and
// bias undefined or [C]; a gradient output left undefined is not computed.
void normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, const Tensor& weight,
                       const Tensor& bias, Tensor& output, Tensor& mean, Tensor& var, Tensor& rstd);
void normalize_backward(const Tensor& grad_output, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                        const std::vector<int>& axes, const Tensor& weight, Tensor& grad_input,
                        Tensor& grad_weight, Tensor& grad_bias);
}  // namespace dforge::cpu

namespace dforge::cuda {
void normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, const Tensor& weight,
                       const Tensor& bias, Tensor& output, Tensor& mean, Tensor& var, Tensor& rstd);
void normalize_backward(const Tensor& grad_output, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                        const std::vector<int>& axes, const Tensor& weight, Tensor& grad_input,
                        Tensor& grad_weight, Tensor& grad_bias);
}  // namespace dforge::cuda
