#include "layers/spectral_norm.h"

#include <cmath>

#include "autograd/elementwise.h"
#include "autograd/grad_mode.h"
#include "autograd/matmul.h"
#include "autograd/reduce.h"
#include "autograd/shape_ops.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"
#include "runtime/reduce.h"

namespace dforge {

namespace {
// x / max(||x||, eps)
Tensor normalize_vector(const Tensor& x, double eps) {
  const double norm = std::sqrt(runtime::sum(runtime::mul(x, x)).item());
  return runtime::affine(x, 1.0 / std::max(norm, eps), 0.0);
}
}  // namespace

SpectralNorm::SpectralNorm(Variable weight_orig, Variable u, Variable v, int dim, double eps)
    : weight_orig_(std::move(weight_orig)), u_(std::move(u)), v_(std::move(v)), dim_(dim), eps_(eps) {
  DFORGE_CHECK(dim == 0 || dim == 1, "spectral norm: dim must be 0 or 1, got ", dim);
  const Shape& shape = weight_orig_.shape();
  DFORGE_CHECK(u_.numel() == rows(shape, dim) && v_.numel() == columns(shape, dim), "spectral norm: u ",
               shape_str(u_.shape()), " and v ", shape_str(v_.shape()), " do not fit weight ", shape_str(shape));
}

Tensor SpectralNorm::random_unit_vector(int64_t size, DType dtype, Generator& generator, double eps) {
  Tensor vector = Tensor::empty({size}, dtype);
  runtime::fill_normal(vector, 0.0, 1.0, generator);
  return normalize_vector(vector, eps);
}

Variable SpectralNorm::weight_matrix() const {
  const Shape& shape = weight_orig_.shape();
  Variable weight = weight_orig_;
  if (dim_ == 1) {  // bring dim 1 to the front, as PyTorch does for transposed convolutions
    std::vector<int> order(shape.size());
    for (size_t d = 0; d < order.size(); ++d) order[d] = int(d);
    std::swap(order[0], order[1]);
    weight = permute(weight, order);
  }
  return reshape(weight, {rows(shape, dim_), columns(shape, dim_)});
}

Variable SpectralNorm::normalized_weight(bool training) {
  Variable matrix = weight_matrix();
  const int64_t height = matrix.size(0), width = matrix.size(1);
  if (training) {
    NoGradGuard no_grad;
    const Tensor& w = matrix.data();
    Tensor v = normalize_vector(matmul(Variable(w), Variable(u_.data().reshape({height, 1})), true, false).data(), eps_);
    Tensor u = normalize_vector(matmul(Variable(w), Variable(v.reshape({width, 1}))).data(), eps_);
    u_.data().reshape({height}).copy_from(u.reshape({height}));  // in place: the buffers are shared state
    v_.data().reshape({width}).copy_from(v.reshape({width}));
  }
  // sigma = u^T W v with u, v constants (clones: the next iteration overwrites the buffers).
  Variable u(u_.data().clone().reshape({1, height}));
  Variable v(v_.data().clone().reshape({width, 1}));
  Variable sigma = reshape(matmul(u, matmul(matrix, v)), {});
  return weight_orig_ / sigma;
}

}  // namespace dforge
