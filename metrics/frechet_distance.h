// Distances between two sets of feature vectors (Inception features for FID and KID), in f64 on
// the CPU, with no complex arithmetic:
//
// FID (Heusel et al. 2017, eq. 6): with means mu_i and covariances S_i (unbiased, as numpy.cov),
//   d^2 = |mu_1 - mu_2|^2 + tr(S_1) + tr(S_2) - 2 tr((S_1 S_2)^(1/2)),
// and tr((S_1 S_2)^(1/2)) = tr((S_1^(1/2) S_2 S_1^(1/2))^(1/2)) = sum_i sqrt(lambda_i) over the
// eigenvalues of the symmetric positive semi-definite M = S_1^(1/2) S_2 S_1^(1/2) (S_1 S_2 is similar
// to M). Both square roots come from symmetric eigendecompositions in f64 by LAPACK's dsyevd (Householder
// tridiagonalisation, then divide and conquer), which OpenBLAS exports: ~3 s for the 2048-d
// Inception features on 2 cores, where our own Householder + QL code took ~30 s. Eigenvalues within
// rounding of 0 (below n eps max |lambda|, numpy's matrix_rank tolerance) count as 0, in S_1 and in
// M: a covariance of fewer images than dimensions is singular, and the square roots of its
// rounding-noise eigenvalues (sqrt(eps) |S| each) would otherwise add up (a folder against itself
// scored ~1e-7 of tr S instead of ~0). M is formed over S_1's rank only, so small sets are faster. So the result is real where
// scipy.linalg.sqrtm (pytorch-fid) can return a complex matrix and drop the imaginary part.
//
// KID (Binkowski et al. 2018): the unbiased MMD^2 with the cubic polynomial kernel
//   k(x, y) = (x.y / d + 1)^3,
//   MMD^2 = sum_{i!=j} k(x_i,x_j) / (m(m-1)) + sum_{i!=j} k(y_i,y_j) / (m(m-1)) - 2 sum_{i,j} k(x_i,y_j) / m^2,
// averaged over `subsets` random subsets of m = min(n_x, n_y, subset_size) vectors drawn without
// replacement from each set (clean-fid's and torch-fidelity's defaults: 100 subsets of at most 1000).
#pragma once

#include <cstdint>

#include "runtime/tensor.h"

namespace dforge::metrics {

// Eigenvalues (ascending) and eigenvectors of a symmetric f64 matrix [n, n]: A = V diag(values) V^T,
// column j of `vectors` [n, n] belonging to values[j]. Throws when A is not square or not symmetric
// (to 1e-9 relative), or when LAPACK fails to converge.
struct SymmetricEigen {
  Tensor values;   // f64 [n]
  Tensor vectors;  // f64 [n, n]
};
SymmetricEigen symmetric_eigen(const Tensor& matrix);
// The eigenvalues alone (ascending, f64 [n]): no eigenvectors computed, so about 3x cheaper.
Tensor symmetric_eigenvalues(const Tensor& matrix);

// The principal square root of a symmetric positive semi-definite matrix, V diag(sqrt(max(l, 0))) V^T.
Tensor symmetric_sqrt(const Tensor& matrix);

// tr((S1 S2)^(1/2)) for symmetric positive semi-definite S1, S2 (see above; eigenvalues within
// rounding of 0 count as 0).
double trace_sqrt_product(const Tensor& s1, const Tensor& s2);

// Mean [d] and unbiased covariance [d, d] (f64) of the rows of features [n, d], n >= 2.
struct GaussianStatistics {
  Tensor mean, covariance;
};
GaussianStatistics feature_statistics(const Tensor& features);

double frechet_distance(const GaussianStatistics& a, const GaussianStatistics& b);

struct KidOptions {
  int subsets = 100;
  int subset_size = 1000;
  uint64_t seed = 0;
};
struct KidResult {
  double mean = 0, stddev = 0;  // over the subsets (population standard deviation, as clean-fid)
  int subset_size = 0;
};
// features [n_x, d] and [n_y, d], n >= 2 each.
KidResult kernel_inception_distance(const Tensor& x, const Tensor& y, const KidOptions& options = {});

}  // namespace dforge::metrics
