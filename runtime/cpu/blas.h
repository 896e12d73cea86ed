// Row-major GEMM for the CPU kernels, one name for f32 and f64 (OpenBLAS cblas_sgemm/dgemm):
//   C[M, N] = alpha * op(A) op(B) + beta * C, op = transpose when the flag is set.
// Leading dimensions are those of the stored (untransposed) row-major matrices. Call it outside
// OpenMP parallel regions: OpenBLAS runs its own threads.
#pragma once

#include <cblas.h>

#include <cstdint>

namespace dforge::cpu {

// BLAS rejects a leading dimension of 0 even when the matrix is empty.
inline int64_t leading(int64_t dimension) { return dimension > 0 ? dimension : 1; }

inline void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                 int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans,
              int(m), int(n), int(k), alpha, a, int(leading(lda)), b, int(leading(ldb)), beta, c, int(leading(ldc)));
}

inline void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
                 int64_t lda, const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans,
              int(m), int(n), int(k), alpha, a, int(leading(lda)), b, int(leading(ldb)), beta, c, int(leading(ldc)));
}

}  // namespace dforge::cpu
