// Row-major GEMM for the CUDA kernels through cuBLAS, the same call shape as runtime/cpu/blas.h:
//   C[M, N] = alpha * op(A) op(B) + beta * C, op = transpose when the flag is set,
// leading dimensions those of the stored row-major matrices. cuBLAS is column-major, and a
// row-major matrix is its transpose seen column-major, so C^T = op(B)^T op(A)^T is computed by
// swapping the operands. Runs on the compute stream; FP32 stays FP32 unless DFORGE_TF32=1 (see
// cublas() in device.cu). cuBLAS gives bit-identical results from run to run on one GPU.
#pragma once

#include <climits>

#include "runtime/cuda/common.cuh"
#include "runtime/index_divider.h"

namespace dforge::cuda {

// cuBLAS rejects a leading dimension of 0 even when the matrix is empty.
inline int leading(int64_t dimension) { return int(dimension > 0 ? dimension : 1); }

inline void check_gemm_sizes(int64_t m, int64_t n, int64_t k) {
  DFORGE_CHECK(m <= INT_MAX && n <= INT_MAX && k <= INT_MAX, "gemm: ", m, "x", n, "x", k,
               " exceeds cuBLAS's 32-bit sizes");
}

// Handles the empty products itself, as BLAS defines them (C = beta C: zeros for beta = 0 even over
// uninitialised memory), instead of relying on cuBLAS's quick-return path for k = 0 (matmul of
// [m, 0] by [0, n], linear with no input features). Returns true when nothing is left to do.
template <typename T>
bool gemm_is_trivial(int64_t m, int64_t n, int64_t k, T beta, T* c, int64_t ldc) {
  if (m == 0 || n == 0) return true;
  if (k != 0) return false;
  if (beta == T(1)) return true;  // C unchanged
  DFORGE_CHECK(beta == T(0), "gemm: k = 0 with beta ", beta, " is not supported");
  DFORGE_CUDA_CHECK(cudaMemset2DAsync(c, size_t(ldc) * sizeof(T), 0, size_t(n) * sizeof(T), size_t(m), stream()));
  return true;
}

inline void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                 const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
                 int64_t ldc) {
  check_gemm_sizes(m, n, k);
  if (gemm_is_trivial(m, n, k, beta, c, ldc)) return;
  DFORGE_CUBLAS_CHECK(cublasSgemm(cublas(), transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N,
                                  transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N, int(n), int(m), int(k), &alpha, b,
                                  leading(ldb), a, leading(lda), &beta, c, leading(ldc)));
}

inline void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, double alpha,
                 const double* a, int64_t lda, const double* b, int64_t ldb, double beta, double* c,
                 int64_t ldc) {
  check_gemm_sizes(m, n, k);
  if (gemm_is_trivial(m, n, k, beta, c, ldc)) return;
  DFORGE_CUBLAS_CHECK(cublasDgemm(cublas(), transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N,
                                  transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N, int(n), int(m), int(k), &alpha, b,
                                  leading(ldb), a, leading(lda), &beta, c, leading(ldc)));
}

template <typename T>
__global__ void fill_with_bias_kernel(T* out, const T* bias, int64_t count, IndexDivider channels,
                                      IndexDivider inner) {
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    out[index] = bias[channels.divide(inner.quotient(index)).remainder];
  }
}

// out[index] = bias[(index / inner) % channels] for index < count: every row of a [rows, channels]
// matrix set to the bias (inner = 1, linear), or every channel plane of [., channels, inner]
// images (convolutions).
template <typename T>
void fill_with_bias(T* out, const T* bias, int64_t count, int64_t channels, int64_t inner) {
  if (count == 0) return;
  launch_for(count, fill_with_bias_kernel<T>, out, bias, count, IndexDivider(channels, (count - 1) / inner),
             IndexDivider(inner, count - 1));
}

}  // namespace dforge::cuda
