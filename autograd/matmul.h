// Differentiable matrix products (runtime/matmul.h). Backward functions use matmul itself with
// transpose flags, so second-order gradients work.
#pragma once

#include "autograd/variable.h"

namespace dforge {

// a [M, K] x b [K, N] -> [M, N]; the transpose flags apply to the stored matrices (BLAS style):
// transpose_a means a is stored as [K, M].
Variable matmul(const Variable& a, const Variable& b, bool transpose_a = false, bool transpose_b = false);

// x [N, in], weight [out, in] (PyTorch layout), bias [out] or undefined -> x W^T + bias, [N, out].
Variable linear(const Variable& x, const Variable& weight, const Variable& bias);

}  // namespace dforge
