// CUDA matrix products, mirroring runtime/cpu/matmul.cpp: one cuBLAS GEMM each, shaped by
// runtime/gemm_shape.h.
#include "runtime/cuda/blas.cuh"
#include "runtime/gemm_shape.h"
#include "runtime/matmul.h"

namespace dforge::cuda {

void matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, Tensor& out) {
  dispatch_floating(a.dtype(), "matmul", [&]<typename T>() {
    const GemmShape s = matmul_gemm_shape(a, b, transpose_a, transpose_b, out);
    gemm(s.transpose_a, s.transpose_b, s.m, s.n, s.k, T(1), a.data<T>(), s.lda, b.data<T>(), s.ldb, T(0),
         out.data<T>(), s.ldc);
  });
}

// y = x W^T + bias: every row of y starts as the bias, then GEMM adds x W^T (beta = 1).
void linear(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& out) {
  dispatch_floating(x.dtype(), "linear", [&]<typename T>() {
    const GemmShape s = linear_gemm_shape(x, out);
    T* result = out.data<T>();
    if (bias.defined()) {
      fill_with_bias(result, bias.data<T>(), out.numel(), s.n, int64_t(1));
    }
    gemm(s.transpose_a, s.transpose_b, s.m, s.n, s.k, T(1), x.data<T>(), s.lda, weight.data<T>(), s.ldb,
         T(bias.defined() ? 1 : 0), result, s.ldc);
  });
}

}  // namespace dforge::cuda
