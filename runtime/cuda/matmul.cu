// CUDA matrix products, mirroring runtime/cpu/matmul.cpp: one cuBLAS GEMM each.
#include "runtime/cuda/blas.cuh"
#include "runtime/matmul.h"

namespace dforge::cuda {

void matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, Tensor& out) {
  dispatch_floating(a.dtype(), "matmul", [&]<typename T>() {
    const int64_t m = out.shape()[0], n = out.shape()[1];
    const int64_t k = transpose_a ? a.shape()[0] : a.shape()[1];
    gemm(transpose_a, transpose_b, m, n, k, T(1), a.data<T>(), a.shape()[1], b.data<T>(), b.shape()[1], T(0),
         out.data<T>(), n);
  });
}

// y = x W^T + bias: every row of y starts as the bias, then GEMM adds x W^T (beta = 1).
void linear(const Tensor& x, const Tensor& weight, const Tensor& bias, Tensor& out) {
  dispatch_floating(x.dtype(), "linear", [&]<typename T>() {
    const int64_t rows = out.shape()[0], features = out.shape()[1], inputs = x.shape()[1];
    T* result = out.data<T>();
    if (bias.defined()) {
      launch_for(out.numel(), fill_with_bias_kernel<T>, result, bias.data<T>(), out.numel(), features,
                 int64_t(1));
    }
    gemm(false, true, rows, features, inputs, T(1), x.data<T>(), inputs, weight.data<T>(), inputs,
         T(bias.defined() ? 1 : 0), result, features);
  });
}

}  // namespace dforge::cuda
