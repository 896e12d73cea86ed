// GemmShape: the arguments of the one row-major GEMM, C = alpha op(A) op(B) + beta C, behind each
// matrix product of runtime/matmul.h. Computed once here for both backends, so runtime/cpu/matmul.cpp
// (OpenBLAS) and runtime/cuda/matmul.cu (cuBLAS) call their gemm() with the same sizes and strides.
#pragma once

#include <cstdint>

#include "runtime/tensor.h"

namespace dforge {

struct GemmShape {
  bool transpose_a, transpose_b;
  int64_t m, n, k;              // op(A) is [m, k], op(B) [k, n], C [m, n]
  int64_t lda, ldb, ldc;        // row strides of the stored A, B and C
};

// matmul(a, b, transpose_a, transpose_b) into out [M, N]: the flags apply to the stored matrices.
GemmShape matmul_gemm_shape(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, const Tensor& out);

// linear: out [N, out] = x [N, in] weight^T, weight stored [out, in].
GemmShape linear_gemm_shape(const Tensor& x, const Tensor& out);

}  // namespace dforge
