// The LAPACK-backed symmetric eigensolver, matrix square roots and the Frechet distance against hand-computed cases;
// FID of a set with itself; KID's unbiased estimator.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>

#include "metrics/frechet_distance.h"
#include "runtime/error.h"
#include "runtime/random.h"

using namespace dforge;
using namespace dforge::metrics;

namespace {

Tensor matrix(const std::vector<double>& values, int64_t n) { return Tensor::from_values(values, {n, n}, DType::f64); }

Tensor random_features(int64_t n, int64_t d, uint64_t seed, double shift = 0.0) {
  Tensor x = Tensor::empty({n, d}, DType::f64);
  Generator generator(seed);
  runtime::fill_uniform(x, -1.0 + shift, 1.0 + shift, generator);
  return x;
}

}  // namespace

TEST_CASE("symmetric_eigen of 2x2 and 3x3 matrices", "[metrics][fid]") {
  // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1) / sqrt 2 and (1, 1) / sqrt 2.
  const SymmetricEigen e2 = symmetric_eigen(matrix({2, 1, 1, 2}, 2));
  CHECK(e2.values.to_vector()[0] == Approx(1.0).margin(1e-14));
  CHECK(e2.values.to_vector()[1] == Approx(3.0).margin(1e-14));
  const std::vector<double> v = e2.vectors.to_vector();
  CHECK(std::abs(v[1]) == Approx(1 / std::sqrt(2.0)).margin(1e-14));  // column 1: (1, 1) / sqrt 2
  CHECK(v[1] * v[3] > 0);
  CHECK(v[0] * v[2] < 0);  // column 0: (1, -1) / sqrt 2
  // [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]: eigenvalues 2 - sqrt 2, 2, 2 + sqrt 2.
  const std::vector<double> values = symmetric_eigen(matrix({2, -1, 0, -1, 2, -1, 0, -1, 2}, 3)).values.to_vector();
  CHECK(values[0] == Approx(2 - std::sqrt(2.0)).margin(1e-13));
  CHECK(values[1] == Approx(2.0).margin(1e-13));
  CHECK(values[2] == Approx(2 + std::sqrt(2.0)).margin(1e-13));
  CHECK_THROWS_AS(symmetric_eigen(matrix({1, 2, 3, 4}, 2)), Error);
}

TEST_CASE("symmetric_eigen reconstructs a random symmetric matrix", "[metrics][fid]") {
  const int64_t n = 12;
  const std::vector<double> r = random_features(n, n, 3).to_vector();
  std::vector<double> a(size_t(n * n));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) a[i * n + j] = r[i * n + j] + r[j * n + i];
  const SymmetricEigen e = symmetric_eigen(matrix(a, n));
  const std::vector<double> values = e.values.to_vector(), v = e.vectors.to_vector();
  double worst = 0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t k = 0; k < n; ++k) sum += v[i * n + k] * values[k] * v[j * n + k];
      worst = std::max(worst, std::abs(sum - a[i * n + j]));
    }
  INFO("worst |V diag V^T - A| " << worst);
  CHECK(worst < 1e-12);
}

TEST_CASE("symmetric_sqrt and trace_sqrt_product by hand", "[metrics][fid]") {
  // sqrt([[5, 4], [4, 5]]) = [[2, 1], [1, 2]] (its square is [[5, 4], [4, 5]]).
  const std::vector<double> root = symmetric_sqrt(matrix({5, 4, 4, 5}, 2)).to_vector();
  CHECK(root[0] == Approx(2.0).margin(1e-13));
  CHECK(root[1] == Approx(1.0).margin(1e-13));
  // Diagonal: tr(sqrt(diag(a) diag(b))) = sum sqrt(a_i b_i) = sqrt(4) + sqrt(9 * 4) + 0.
  CHECK(trace_sqrt_product(matrix({1, 0, 0, 0, 9, 0, 0, 0, 0}, 3), matrix({4, 0, 0, 0, 4, 0, 0, 0, 7}, 3)) ==
        Approx(8.0).margin(1e-12));
  // S with itself: tr(S).
  CHECK(trace_sqrt_product(matrix({5, 4, 4, 5}, 2), matrix({5, 4, 4, 5}, 2)) == Approx(10.0).margin(1e-12));
}

TEST_CASE("Frechet distance of diagonal Gaussians by hand", "[metrics][fid]") {
  // mu1 = (0, 1), S1 = diag(1, 4); mu2 = (2, 1), S2 = diag(9, 1):
  // |mu1 - mu2|^2 = 4; tr S1 + tr S2 = 15; 2 tr sqrt(S1 S2) = 2 (3 + 2) = 10 -> 9.
  const GaussianStatistics a{Tensor::from_values({0, 1}, {2}, DType::f64), matrix({1, 0, 0, 4}, 2)};
  const GaussianStatistics b{Tensor::from_values({2, 1}, {2}, DType::f64), matrix({9, 0, 0, 1}, 2)};
  CHECK(frechet_distance(a, b) == Approx(9.0).margin(1e-12));
  CHECK(frechet_distance(b, a) == Approx(9.0).margin(1e-12));
}

TEST_CASE("FID of a feature set with itself is 0, and positive against a shifted set", "[metrics][fid]") {
  const Tensor x = random_features(50, 16, 7);
  const GaussianStatistics s = feature_statistics(x);
  CHECK(std::abs(frechet_distance(s, s)) < 1e-6);
  // Fewer samples than dims: a singular covariance still gives a real, near-zero distance.
  const GaussianStatistics singular = feature_statistics(random_features(5, 16, 8));
  CHECK(std::abs(frechet_distance(singular, singular)) < 1e-6);
  // 6 samples in 256 dims (rank 5): the eigenvalues that are rounding noise count as 0, so the
  // distance is 0 to rounding (measured ~6e-12 of the trace when only negative ones were clamped).
  const GaussianStatistics low_rank = feature_statistics(random_features(6, 256, 10));
  const std::vector<double> c = low_rank.covariance.to_vector();
  double trace = 0;
  for (int64_t i = 0; i < 256; ++i) trace += c[i * 256 + i];
  CHECK(std::abs(frechet_distance(low_rank, low_rank)) < 1e-13 * trace);
  CHECK(frechet_distance(s, feature_statistics(random_features(50, 16, 9, 0.5))) > 1.0);
  CHECK_THROWS_AS(feature_statistics(random_features(1, 16, 1)), Error);
}

TEST_CASE("KID: unbiased MMD^2 near 0 for one distribution, larger for shifted ones", "[metrics][fid]") {
  // With one subset covering both whole sets the estimator is computed by hand below.
  const Tensor x = random_features(6, 3, 11), y = random_features(6, 3, 12, 0.3);
  const KidResult whole = kernel_inception_distance(x, y, {1, 6, 0});
  const std::vector<double> a = x.to_vector(), b = y.to_vector();
  auto k = [](const double* p, const double* q) {
    double dot = 0;
    for (int i = 0; i < 3; ++i) dot += p[i] * q[i];
    return std::pow(dot / 3.0 + 1.0, 3);
  };
  double xx = 0, yy = 0, xy = 0;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      if (i != j) xx += k(&a[i * 3], &a[j * 3]), yy += k(&b[i * 3], &b[j * 3]);
      xy += k(&a[i * 3], &b[j * 3]);
    }
  CHECK(whole.mean == Approx((xx + yy) / 30.0 - 2.0 * xy / 36.0).epsilon(1e-12));
  const KidResult same = kernel_inception_distance(random_features(400, 8, 1), random_features(400, 8, 2), {10, 200, 0});
  const KidResult shifted =
      kernel_inception_distance(random_features(400, 8, 1), random_features(400, 8, 2, 0.5), {10, 200, 0});
  CHECK(std::abs(same.mean) < 0.01);
  CHECK(shifted.mean > 10 * std::abs(same.mean));
}
