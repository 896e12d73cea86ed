// Spectral normalisation (Miyato et al., ICLR 2018) with torch.nn.utils.spectral_norm's exact
// semantics: the weight W is viewed as a matrix (dim 0 first; dim 1 first for transposed convs),
// buffers u and v start as normalised N(0, 1) vectors; in training every forward first runs one
// power iteration without gradient, v = n(W^T u), u = n(W v) with n(x) = x / max(|x|, eps);
// then sigma = u^T W v (gradient through W only) and the layer uses W / sigma. Eval uses the
// stored u and v. State-dict names: weight_orig, weight_u, weight_v.
#pragma once

#include "autograd/variable.h"
#include "runtime/random.h"

namespace dforge {

class SpectralNorm {
 public:
  // `weight_orig` is the trainable weight; `u` and `v` the buffers (updated in place).
  SpectralNorm(Variable weight_orig, Variable u, Variable v, int dim, double eps = 1e-12);

  // Sizes of u and v for a weight of `shape` normalised along `dim`.
  static int64_t rows(const Shape& shape, int dim) { return shape[dim]; }
  static int64_t columns(const Shape& shape, int dim) { return numel_of(shape) / shape[dim]; }
  // A normalised N(0, 1) vector of `size` (the initial u or v).
  static Tensor random_unit_vector(int64_t size, DType dtype, Generator& generator, double eps = 1e-12);

  // W / sigma; runs the power iteration first when `training`.
  Variable normalized_weight(bool training);

 private:
  Variable weight_matrix() const;  // W as [rows, columns], differentiable

  Variable weight_orig_, u_, v_;
  int dim_;
  double eps_;
};

}  // namespace dforge
