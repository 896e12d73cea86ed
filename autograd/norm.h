// Differentiable normalisations on NCHW Variables (any number of trailing spatial dims). All are
// built on one fused kernel forward (runtime::normalize_forward), which applies batch and instance
// norm's per-channel affine in the same pass; its node's backward runs the fused gradient kernel
// (input, weight and bias gradients) for a plain backward and a composition of differentiable ops
// under create_graph, so second-order gradients (WGAN-GP, R1) flow through every norm.
#pragma once

#include <vector>

#include "autograd/variable.h"

namespace dforge {

// (x - mean) / sqrt(var + eps) with mean and biased var over `axes` (non-empty). When mean_out /
// var_out are given they receive the statistics (keepdim shape, no gradient).
Variable normalize(const Variable& x, const std::vector<int>& axes, double eps, Tensor* mean_out = nullptr,
                   Tensor* var_out = nullptr);

// x is [N, C, ...]; weight and bias are [C] or undefined (no affine).
// Training: normalises over every axis but 1 and, when the running statistics are defined, updates
// them in place with PyTorch's rule running = (1 - momentum) * running + momentum * statistic,
// using the unbiased batch variance for running_var.
// Eval: (x - running_mean) / sqrt(running_var + eps); running statistics required.
// Running statistics are [C] of x's dtype and device.
Variable batch_norm(const Variable& x, const Variable& weight, const Variable& bias, Tensor& running_mean,
                    Tensor& running_var, bool training, double momentum, double eps);

// x is [N, C, spatial...] with at least one spatial dim; normalises each (n, c) over the spatial
// dims. weight and bias are [C] or undefined.
Variable instance_norm(const Variable& x, const Variable& weight, const Variable& bias, double eps);

// x is [N, C, ...]; normalises each pixel across channels (axis 1), as OD-SPADE (paper 002) needs.
Variable channel_norm(const Variable& x, double eps);

}  // namespace dforge
