// Matrix products on 2-d tensors: matmul with BLAS-style transpose flags, and linear (the fully
// connected layer, bias fused). Inputs share dtype (f32 or f64) and device; outputs are new tensors.
#pragma once

#include "runtime/tensor.h"

namespace dforge::runtime {

// op(a) [M, K] x op(b) [K, N] -> [M, N], where op(m) = m^T when its flag is set: the flags apply to
// the stored matrices, so transpose_a means `a` is stored as [K, M].
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false);

// y = x W^T + bias: x [N, in], weight [out, in] (PyTorch layout), bias [out] or undefined -> [N, out].
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias);

}  // namespace dforge::runtime

namespace dforge::cpu {
// `out` has the product's shape; every element is written.
void matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, Tensor& out);
// `bias` may be undefined (no bias).
void linear(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& out);
}  // namespace dforge::cpu

namespace dforge::cuda {
void matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, Tensor& out);
void linear(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& out);
}  // namespace dforge::cuda
