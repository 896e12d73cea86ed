// The GEMM sizes and strides of matmul and linear (see gemm_shape.h).
#include "runtime/gemm_shape.h"

namespace dforge {

GemmShape matmul_gemm_shape(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, const Tensor& out) {
  const int64_t m = out.shape()[0], n = out.shape()[1];
  const int64_t k = transpose_a ? a.shape()[0] : a.shape()[1];
  return {transpose_a, transpose_b, m, n, k, a.shape()[1], b.shape()[1], n};
}

GemmShape linear_gemm_shape(const Tensor& x, const Tensor& out) {
  const int64_t rows = out.shape()[0], features = out.shape()[1], inputs = x.shape()[1];
  return {false, true, rows, features, inputs, inputs, inputs, features};
}

}  // namespace dforge
