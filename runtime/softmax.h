// Softmax and log-softmax along one axis, each fused into one kernel (max, sum of exponentials and
// the normalisation in one pass per lane). Both subtract the lane's maximum first, so no exp
// overflows:
//   softmax(x)_i     = exp(x_i - m) / sum_j exp(x_j - m)
//   log_softmax(x)_i = x_i - m - log(sum_j exp(x_j - m)),   m = max_j x_j
// Requires a floating tensor with at least one dim and a non-empty `axis`; the output has x's shape.
#pragma once

#include "runtime/tensor.h"

namespace dforge::runtime {

Tensor softmax(const Tensor& x, int axis);
Tensor log_softmax(const Tensor& x, int axis);

}  // namespace dforge::runtime

// Kernels: `axis` is non-negative, `out` has x's shape.
namespace dforge::cpu {
void softmax(const Tensor& x, int axis, Tensor& out);
void log_softmax(const Tensor& x, int axis, Tensor& out);
}  // namespace dforge::cpu

namespace dforge::cuda {
void softmax(const Tensor& x, int axis, Tensor& out);
void log_softmax(const Tensor& x, int axis, Tensor& out);
}  // namespace dforge::cuda
