// Row-major GEMM for the CPU kernels, one name for f32 and f64 (OpenBLAS cblas_sgemm/dgemm):
//   C[M, N] = alpha * op(A) op(B) + beta * C, op = transpose when the flag is set.
// Leading dimensions are those of the stored (untransposed) row-major matrices.
//
// Threading: OpenMP is the engine's one thread pool. OpenBLAS's own threads, run next to OpenMP
// workers that spin between parallel regions, fight them for the cores (measured on 2 cores: a
// 256-channel 16x16 conv2d ran 2-3x slower). So OpenBLAS runs one thread (configure_blas), and a
// gemm() called outside a parallel region splits C into one block of rows (or columns) per OpenMP
// thread, each block one BLAS call over the full K: every element is summed in the same order
// whatever the split, so results are deterministic. Inside a parallel region it is one plain call.
#pragma once

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace dforge::cpu {

// Runs once (later calls return at once): OpenBLAS to one thread, and its fastest kernels for this
// CPU when it fell back to generic ones (blas.cpp). gemm() calls it.
void configure_blas();

namespace blas_detail {

// BLAS rejects a leading dimension of 0 even when the matrix is empty.
inline int leading(int64_t dimension) { return int(std::max<int64_t>(dimension, 1)); }

inline void call(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                 int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans,
              int(m), int(n), int(k), alpha, a, leading(lda), b, leading(ldb), beta, c, leading(ldc));
}

inline void call(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
                 int64_t lda, const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans,
              int(m), int(n), int(k), alpha, a, leading(lda), b, leading(ldb), beta, c, leading(ldc));
}

constexpr int64_t kParallelWork = 1 << 18;  // multiply-adds; below this one call is faster
constexpr int64_t kBlockAlignment = 16;     // block edges on whole SIMD tiles

}  // namespace blas_detail

template <typename T>
void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda,
          const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  using namespace blas_detail;
  configure_blas();
  const int threads = omp_get_max_threads();
  if (threads == 1 || m * n * k < kParallelWork || omp_in_parallel()) {
    call(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  // Rows i.. of op(A) start at column i of a stored transposed A, or row i of a plain one; columns
  // j.. of op(B) likewise. Split the longer side of C.
  const bool split_rows = m >= n;
  const int64_t extent = split_rows ? m : n;
  const int64_t per_thread = (extent + threads - 1) / threads;
  const int64_t block = (per_thread + kBlockAlignment - 1) / kBlockAlignment * kBlockAlignment;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (int64_t start = 0; start < extent; start += block) {
    const int64_t size = std::min(block, extent - start);
    if (split_rows) {
      const T* a_block = a + (transpose_a ? start : start * lda);
      call(transpose_a, transpose_b, size, n, k, alpha, a_block, lda, b, ldb, beta, c + start * ldc, ldc);
    } else {
      const T* b_block = b + (transpose_b ? start * ldb : start);
      call(transpose_a, transpose_b, m, size, k, alpha, a, lda, b_block, ldb, beta, c + start, ldc);
    }
  }
}

}  // namespace dforge::cpu
