// Jacobi eigendecomposition, matrix square roots, the Frechet distance and KID (see the header).
#include "metrics/frechet_distance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "runtime/error.h"
#include "runtime/matmul.h"
#include "runtime/random.h"

namespace dforge::metrics {
namespace {

constexpr int kMaxSweeps = 100;

Tensor as_f64_matrix(const Tensor& matrix, const char* what) {
  DFORGE_CHECK(matrix.ndim() == 2 && matrix.size(0) == matrix.size(1), what, ": expected a square matrix, got ",
               matrix.describe());
  return matrix.to(Device::cpu()).to(DType::f64).clone();
}

// One Jacobi rotation A <- J^T A J, V <- V J that zeroes a[p][q] (Golub & Van Loan, alg. 8.5.2):
// theta = (a_qq - a_pp) / (2 a_pq), t = sign(theta) / (|theta| + sqrt(theta^2 + 1)), c = 1/sqrt(1+t^2), s = t c.
void rotate(double* a, double* v, int64_t n, int64_t p, int64_t q) {
  const double apq = a[p * n + q];
  const double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
  const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
  const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
  for (int64_t k = 0; k < n; ++k) {  // columns p, q of A and V
    const double akp = a[k * n + p], akq = a[k * n + q];
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
    const double vkp = v[k * n + p], vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
  for (int64_t k = 0; k < n; ++k) {  // rows p, q of A
    const double apk = a[p * n + k], aqk = a[q * n + k];
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  a[p * n + q] = a[q * n + p] = 0.0;
}

double off_diagonal_norm2(const double* a, int64_t n) {
  double sum = 0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j)
      if (i != j) sum += a[i * n + j] * a[i * n + j];
  return sum;
}

Tensor vector_from(const std::vector<double>& values) {
  return Tensor::from_values(values, {int64_t(values.size())}, DType::f64);
}

}  // namespace

SymmetricEigen symmetric_eigen(const Tensor& matrix) {
  Tensor a_tensor = as_f64_matrix(matrix, "symmetric_eigen");
  const int64_t n = a_tensor.size(0);
  double* a = a_tensor.data<double>();
  double norm2 = 0;
  for (int64_t i = 0; i < n * n; ++i) norm2 += a[i] * a[i];
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < i; ++j)
      DFORGE_CHECK(std::abs(a[i * n + j] - a[j * n + i]) <= 1e-9 * std::sqrt(norm2) + 1e-300,
                   "symmetric_eigen: matrix ", matrix.describe(), " is not symmetric at (", i, ", ", j, "): ",
                   a[i * n + j], " vs ", a[j * n + i]);
  Tensor v_tensor = Tensor::zeros({n, n}, DType::f64);
  double* v = v_tensor.data<double>();
  for (int64_t i = 0; i < n; ++i) v[i * n + i] = 1.0;
  // Cyclic sweeps until the off-diagonal part is negligible next to the whole matrix.
  const double tolerance2 = 1e-30 * norm2;
  for (int sweep = 0; sweep < kMaxSweeps && off_diagonal_norm2(a, n) > tolerance2; ++sweep)
    for (int64_t p = 0; p < n; ++p)
      for (int64_t q = p + 1; q < n; ++q)
        if (a[p * n + q] != 0.0) rotate(a, v, n, p, q);
  // Sort ascending, permuting the eigenvector columns alike.
  std::vector<int64_t> order(size_t(n), 0);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t i, int64_t j) { return a[i * n + i] < a[j * n + j]; });
  std::vector<double> values;
  Tensor vectors = Tensor::empty({n, n}, DType::f64);
  double* sorted = vectors.data<double>();
  for (int64_t j = 0; j < n; ++j) {
    values.push_back(a[order[j] * n + order[j]]);
    for (int64_t i = 0; i < n; ++i) sorted[i * n + j] = v[i * n + order[j]];
  }
  return {vector_from(values), vectors};
}

Tensor symmetric_sqrt(const Tensor& matrix) {
  const SymmetricEigen eigen = symmetric_eigen(matrix);
  const int64_t n = eigen.values.size(0);
  // V diag(sqrt(l)) V^T = (V diag(l^(1/4))) (V diag(l^(1/4)))^T
  Tensor scaled = eigen.vectors.clone();
  double* s = scaled.data<double>();
  const double* values = eigen.values.data<double>();
  for (int64_t j = 0; j < n; ++j) {
    const double root = std::sqrt(std::sqrt(std::max(values[j], 0.0)));
    for (int64_t i = 0; i < n; ++i) s[i * n + j] *= root;
  }
  return runtime::matmul(scaled, scaled, false, true);
}

double trace_sqrt_product(const Tensor& s1, const Tensor& s2) {
  const Tensor root = symmetric_sqrt(s1);
  Tensor m = runtime::matmul(runtime::matmul(root, as_f64_matrix(s2, "trace_sqrt_product")), root);
  DFORGE_CHECK(m.size(0) == s2.size(0), "trace_sqrt_product: shapes ", s1.describe(), " and ", s2.describe());
  // Symmetrise away the rounding of the two products.
  const int64_t n = m.size(0);
  double* d = m.data<double>();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < i; ++j) d[i * n + j] = d[j * n + i] = 0.5 * (d[i * n + j] + d[j * n + i]);
  double trace = 0;
  for (double value : symmetric_eigen(m).values.to_vector()) trace += std::sqrt(std::max(value, 0.0));
  return trace;
}

GaussianStatistics feature_statistics(const Tensor& features) {
  DFORGE_CHECK(features.ndim() == 2 && features.size(0) >= 2, "feature_statistics: expected features [n >= 2, d], got ",
               features.describe());
  Tensor x = features.to(Device::cpu()).to(DType::f64).clone();
  const int64_t n = x.size(0), d = x.size(1);
  std::vector<double> mean(size_t(d), 0.0);
  double* data = x.data<double>();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) mean[j] += data[i * d + j] / double(n);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) data[i * d + j] -= mean[j];
  Tensor covariance = runtime::matmul(x, x, true, false);  // X_c^T X_c
  double* c = covariance.data<double>();
  for (int64_t i = 0; i < d * d; ++i) c[i] /= double(n - 1);
  return {vector_from(mean), covariance};
}

double frechet_distance(const GaussianStatistics& a, const GaussianStatistics& b) {
  DFORGE_CHECK(a.mean.numel() == b.mean.numel(), "frechet_distance: feature dims differ: ", a.mean.describe(), " vs ",
               b.mean.describe());
  const std::vector<double> mu1 = a.mean.to_vector(), mu2 = b.mean.to_vector();
  double distance = 0;
  for (size_t i = 0; i < mu1.size(); ++i) distance += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
  const std::vector<double> c1 = a.covariance.to_vector(), c2 = b.covariance.to_vector();
  const size_t d = mu1.size();
  for (size_t i = 0; i < d; ++i) distance += c1[i * d + i] + c2[i * d + i];
  return distance - 2.0 * trace_sqrt_product(a.covariance, b.covariance);
}

namespace {

// m distinct row indices of [0, n), a Fisher-Yates prefix driven by Philox uniforms.
std::vector<int64_t> sample_rows(int64_t n, int64_t m, Generator& generator) {
  Tensor uniforms = Tensor::empty({m}, DType::f64);
  runtime::fill_uniform(uniforms, 0.0, 1.0, generator);
  const double* u = uniforms.data<double>();
  std::vector<int64_t> rows(size_t(n), 0);
  std::iota(rows.begin(), rows.end(), 0);
  for (int64_t i = 0; i < m; ++i) std::swap(rows[i], rows[i + std::min<int64_t>(int64_t(u[i] * double(n - i)), n - i - 1)]);
  rows.resize(size_t(m));
  return rows;
}

Tensor gather_rows(const Tensor& x, const std::vector<int64_t>& rows) {
  const int64_t d = x.size(1);
  Tensor out = Tensor::empty({int64_t(rows.size()), d}, DType::f64);
  const double* source = x.data<double>();
  double* target = out.data<double>();
  for (size_t i = 0; i < rows.size(); ++i) std::copy_n(source + rows[i] * d, d, target + int64_t(i) * d);
  return out;
}

// sum of (a b^T / d + 1)^3 over all entries, or over the off-diagonal ones.
double polynomial_kernel_sum(const Tensor& a, const Tensor& b, bool skip_diagonal) {
  const double d = double(a.size(1));
  const Tensor products = runtime::matmul(a, b, false, true);
  const int64_t rows = products.size(0), columns = products.size(1);
  const double* p = products.data<double>();
  double sum = 0;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < columns; ++j)
      if (!skip_diagonal || i != j) sum += std::pow(p[i * columns + j] / d + 1.0, 3);
  return sum;
}

}  // namespace

KidResult kernel_inception_distance(const Tensor& x, const Tensor& y, const KidOptions& options) {
  DFORGE_CHECK(x.ndim() == 2 && y.ndim() == 2 && x.size(1) == y.size(1) && x.size(0) >= 2 && y.size(0) >= 2,
               "kernel_inception_distance: expected features [n >= 2, d] with the same d, got ", x.describe(), " and ",
               y.describe());
  DFORGE_CHECK(options.subsets > 0 && options.subset_size >= 2, "kernel_inception_distance: subsets (", options.subsets,
               ") must be positive and subset_size (", options.subset_size, ") at least 2");
  const Tensor x64 = x.to(Device::cpu()).to(DType::f64), y64 = y.to(Device::cpu()).to(DType::f64);
  const int64_t m = std::min<int64_t>({x.size(0), y.size(0), options.subset_size});
  Generator generator(options.seed);
  std::vector<double> estimates;
  for (int subset = 0; subset < options.subsets; ++subset) {
    const Tensor a = gather_rows(x64, sample_rows(x.size(0), m, generator));
    const Tensor b = gather_rows(y64, sample_rows(y.size(0), m, generator));
    const double within = polynomial_kernel_sum(a, a, true) + polynomial_kernel_sum(b, b, true);
    estimates.push_back(within / double(m * (m - 1)) - 2.0 * polynomial_kernel_sum(a, b, false) / double(m * m));
  }
  KidResult result;
  result.subset_size = int(m);
  result.mean = std::accumulate(estimates.begin(), estimates.end(), 0.0) / double(estimates.size());
  double spread = 0;
  for (double e : estimates) spread += (e - result.mean) * (e - result.mean);
  result.stddev = std::sqrt(spread / double(estimates.size()));
  return result;
}

}  // namespace dforge::metrics
