// Symmetric eigendecomposition (Householder + implicit QL), matrix square roots, the Frechet distance and KID (see the header).
#include "metrics/frechet_distance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "runtime/error.h"
#include "runtime/matmul.h"
#include "runtime/random.h"

namespace dforge::metrics {
namespace {

constexpr int kMaxQlIterations = 60;  // per eigenvalue; a few suffice (cubic convergence)

Tensor as_f64_matrix(const Tensor& matrix, const char* what) {
  DFORGE_CHECK(matrix.ndim() == 2 && matrix.size(0) == matrix.size(1), what, ": expected a square matrix, got ",
               matrix.describe());
  return matrix.to(Device::cpu()).to(DType::f64).clone();
}

void check_symmetric(const double* a, int64_t n, const Tensor& matrix) {
  double norm2 = 0;
  for (int64_t i = 0; i < n * n; ++i) norm2 += a[i] * a[i];
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < i; ++j)
      DFORGE_CHECK(std::abs(a[i * n + j] - a[j * n + i]) <= 1e-9 * std::sqrt(norm2) + 1e-300,
                   "symmetric_eigen: matrix ", matrix.describe(), " is not symmetric at (", i, ", ", j, "): ",
                   a[i * n + j], " vs ", a[j * n + i]);
}

// Householder reduction A = Q T Q^T to a symmetric tridiagonal T (Golub & Van Loan, alg. 8.3.1):
// for each column k, the reflection H = I - 2 v v^T that zeroes A[k+2:, k] is applied from both sides
// as A22 <- A22 - 2 (v q^T + q v^T), p = A22 v, q = p - (v.p) v. On return diagonal[i] = T_ii,
// off_diagonal[i] = T_{i,i+1} (the last is 0), and q_transposed (when given) holds Q^T row-major.
void tridiagonalise(double* a, int64_t n, std::vector<double>& diagonal, std::vector<double>& off_diagonal,
                    std::vector<double>* q_transposed) {
  std::vector<double> q;
  if (q_transposed) {
    q.assign(size_t(n * n), 0.0);
    for (int64_t i = 0; i < n; ++i) q[i * n + i] = 1.0;
  }
  std::vector<double> v(static_cast<size_t>(n)), p(static_cast<size_t>(n));
  for (int64_t k = 0; k + 2 < n; ++k) {
    const int64_t first = k + 1, m = n - first;  // the trailing block A[first:, first:] is m x m
    double norm = 0;
    for (int64_t i = 0; i < m; ++i) norm += a[(first + i) * n + k] * a[(first + i) * n + k];
    norm = std::sqrt(norm);
    if (norm == 0.0) continue;
    const double x0 = a[first * n + k];
    const double alpha = x0 > 0 ? -norm : norm;
    double v_norm = 0;
    for (int64_t i = 0; i < m; ++i) {
      v[i] = a[(first + i) * n + k] - (i == 0 ? alpha : 0.0);
      v_norm += v[i] * v[i];
    }
    v_norm = std::sqrt(v_norm);
    if (v_norm == 0.0) continue;
    for (int64_t i = 0; i < m; ++i) v[i] /= v_norm;
#pragma omp parallel for if (m > 128)
    for (int64_t i = 0; i < m; ++i) {
      const double* row = a + (first + i) * n + first;
      double sum = 0;
      for (int64_t j = 0; j < m; ++j) sum += row[j] * v[j];
      p[i] = sum;
    }
    double vp = 0;
    for (int64_t i = 0; i < m; ++i) vp += v[i] * p[i];
    for (int64_t i = 0; i < m; ++i) p[i] -= vp * v[i];  // p is now q
#pragma omp parallel for if (m > 128)
    for (int64_t i = 0; i < m; ++i) {
      double* row = a + (first + i) * n + first;
      for (int64_t j = 0; j < m; ++j) row[j] -= 2.0 * (v[i] * p[j] + p[i] * v[j]);
    }
    for (int64_t i = 1; i < m; ++i) a[(first + i) * n + k] = a[k * n + first + i] = 0.0;
    a[first * n + k] = a[k * n + first] = alpha;
    if (q_transposed) {  // Q <- Q H: each row r of Q loses 2 (Q[r, first:] . v) v
#pragma omp parallel for if (m > 128)
      for (int64_t r = 0; r < n; ++r) {
        double* row = q.data() + r * n + first;
        double w = 0;
        for (int64_t j = 0; j < m; ++j) w += row[j] * v[j];
        for (int64_t j = 0; j < m; ++j) row[j] -= 2.0 * w * v[j];
      }
    }
  }
  diagonal.assign(size_t(n), 0.0);
  off_diagonal.assign(size_t(n), 0.0);
  for (int64_t i = 0; i < n; ++i) {
    diagonal[i] = a[i * n + i];
    if (i + 1 < n) off_diagonal[i] = a[(i + 1) * n + i];
  }
  if (q_transposed) {
    q_transposed->assign(size_t(n * n), 0.0);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) (*q_transposed)[j * n + i] = q[i * n + j];
  }
}

// The eigenvalues of the tridiagonal (diagonal, off_diagonal) by the implicit QL method with
// Wilkinson-type shifts (Golub & Van Loan 8.3.3, in its QL form). Each plane rotation of rows
// i, i+1 of `vectors` (Q^T, when given) accumulates the eigenvectors: on return row j of `vectors`
// is the eigenvector of diagonal[j].
void tridiagonal_ql(std::vector<double>& d, std::vector<double>& e, std::vector<double>* vectors) {
  const int64_t n = int64_t(d.size());
  const double epsilon = std::numeric_limits<double>::epsilon();
  for (int64_t l = 0; l < n; ++l) {
    for (int iteration = 0;; ++iteration) {
      int64_t m = l;  // the first negligible off-diagonal at or after l splits the matrix
      while (m + 1 < n && std::abs(e[m]) > epsilon * (std::abs(d[m]) + std::abs(d[m + 1]))) ++m;
      if (m == l) break;
      DFORGE_CHECK(iteration < kMaxQlIterations, "symmetric_eigen: QL did not converge for eigenvalue ", l);
      // The shift: the eigenvalue of the leading 2x2 block closer to d[l].
      double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
      double r = std::hypot(g, 1.0);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      double s = 1.0, c = 1.0, p = 0.0;
      bool deflated = false;
      for (int64_t i = m - 1; i >= l; --i) {
        const double f = s * e[i], b = c * e[i];
        r = std::hypot(f, g);
        e[i + 1] = r;
        if (r == 0.0) {  // underflow: the block splits here
          d[i + 1] -= p;
          e[m] = 0.0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2.0 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (vectors) {
          double* upper = vectors->data() + i * n;
          double* lower = upper + n;
          for (int64_t k = 0; k < n; ++k) {
            const double t = lower[k];
            lower[k] = s * upper[k] + c * t;
            upper[k] = c * upper[k] - s * t;
          }
        }
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0.0;
    }
  }
}

Tensor vector_from(const std::vector<double>& values) {
  return Tensor::from_values(values, {int64_t(values.size())}, DType::f64);
}

}  // namespace

SymmetricEigen symmetric_eigen(const Tensor& matrix) {
  Tensor a = as_f64_matrix(matrix, "symmetric_eigen");
  const int64_t n = a.size(0);
  check_symmetric(a.data<double>(), n, matrix);
  std::vector<double> d, e, vectors;
  tridiagonalise(a.data<double>(), n, d, e, &vectors);
  tridiagonal_ql(d, e, &vectors);
  // Ascending, eigenvector j as column j.
  std::vector<int64_t> order(size_t(n), 0);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t i, int64_t j) { return d[i] < d[j]; });
  std::vector<double> values;
  Tensor columns = Tensor::empty({n, n}, DType::f64);
  double* out = columns.data<double>();
  for (int64_t j = 0; j < n; ++j) {
    values.push_back(d[order[j]]);
    for (int64_t i = 0; i < n; ++i) out[i * n + j] = vectors[order[j] * n + i];
  }
  return {vector_from(values), columns};
}

Tensor symmetric_eigenvalues(const Tensor& matrix) {
  Tensor a = as_f64_matrix(matrix, "symmetric_eigenvalues");
  const int64_t n = a.size(0);
  check_symmetric(a.data<double>(), n, matrix);
  std::vector<double> d, e;
  tridiagonalise(a.data<double>(), n, d, e, nullptr);
  tridiagonal_ql(d, e, nullptr);
  std::sort(d.begin(), d.end());
  return vector_from(d);
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
  for (double value : symmetric_eigenvalues(m).to_vector()) trace += std::sqrt(std::max(value, 0.0));
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
