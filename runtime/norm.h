// Normalisation over a set of axes, the core of batch, instance, layer and channel norms:
//   y = (x - mean) * rstd,  rstd = 1 / sqrt(var + eps),
// with mean and the biased variance taken over `axes` for every index of the other (kept) axes.
// The forward is one fused kernel; its statistics are accumulated in double in a fixed order, so
// results are deterministic. The backward kernel is the closed form of the gradient:
//   dx = rstd * (dy - mean(dy) - y * mean(dy * y))   (means over `axes`).
// Statistics (mean, var, rstd) have the keepdim shape: `x` with every normalised axis set to 1.
#pragma once

#include <vector>

#include "runtime/tensor.h"

namespace dforge::runtime {

struct NormalizeResult {
  Tensor output;  // shape of x: (x - mean) * rstd
  Tensor mean;    // keepdim shape
  Tensor var;     // keepdim shape, biased (divided by the group's element count)
  Tensor rstd;    // keepdim shape, 1 / sqrt(var + eps)
};

// Requires: x floating with at least one dim; `axes` non-empty, in range (negative counts from the
// end); every group non-empty; eps >= 0. The result tensors have x's dtype and device.
NormalizeResult normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps);

// The input gradient of normalize_forward given the output gradient `grad_output`, the forward
// output `normalized` (y) and its `rstd`. Requires grad_output and normalized of one shape, rstd
// of the keepdim shape for `axes`, all of one dtype and device.
Tensor normalize_backward(const Tensor& grad_output, const Tensor& normalized, const Tensor& rstd,
                          const std::vector<int>& axes);

// The keepdim statistics shape of normalising `shape` over `axes`; validates and normalises
// `axes` (sorted, unique, non-negative) in place. Throws naming `op`.
Shape normalized_statistics_shape(const Shape& shape, std::vector<int>& axes, const char* op);

}  // namespace dforge::runtime

namespace dforge::cpu {
// `axes` sorted, unique, non-empty; outputs allocated with the shapes documented above.
void normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, Tensor& output, Tensor& mean,
                       Tensor& var, Tensor& rstd);
void normalize_backward(const Tensor& grad_output, const Tensor& normalized, const Tensor& rstd,
                        const std::vector<int>& axes, Tensor& grad_input);
}  // namespace dforge::cpu

namespace dforge::cuda {
void normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, Tensor& output, Tensor& mean,
                       Tensor& var, Tensor& rstd);
void normalize_backward(const Tensor& grad_output, const Tensor& normalized, const Tensor& rstd,
                        const std::vector<int>& axes, Tensor& grad_input);
}  // namespace dforge::cuda
