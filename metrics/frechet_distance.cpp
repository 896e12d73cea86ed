// Symmetric eigendecomposition (LAPACK dsyevd), matrix square roots, the Frechet distance and KID (see the header).
#include "metrics/frechet_distance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "runtime/cpu/blas.h"
#include "runtime/error.h"
#include "runtime/matmul.h"
#include "runtime/random.h"

// LAPACK's symmetric eigensolver (divide and conquer), exported by OpenBLAS (CMakeLists.txt checks
// for it). Fortran passes everything by reference; the two trailing arguments are the hidden lengths
// of the character arguments jobz and uplo that gfortran-compiled code expects.
extern "C" void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
                        double* work, const int* lwork, int* iwork, const int* liwork, int* info, size_t jobz_length,
                        size_t uplo_length);

namespace dforge::metrics {
namespace {

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

// dsyevd in place on `a`, the f64 copy of the symmetric `matrix` (checked first). Returns the
// eigenvalues, ascending; with `vectors`, row j of `a` is then the eigenvector of values[j]: LAPACK
// writes them as the columns of a column-major array, which read row-major are rows. A symmetric
// matrix reads the same in either order, so nothing is transposed on the way in.
std::vector<double> lapack_eigen(Tensor& a, bool vectors, const Tensor& matrix) {
  const int64_t size = a.size(0);
  check_symmetric(a.data<double>(), size, matrix);
  DFORGE_CHECK(size <= 16384, "symmetric_eigen: ", matrix.describe(), " is too large for LAPACK's 32-bit workspace");
  std::vector<double> values(static_cast<size_t>(size));
  if (size == 0) return values;
  cpu::configure_blas();  // OpenBLAS's kernels for this CPU, one thread (runtime/cpu/blas.h)
  const char job = vectors ? 'V' : 'N', uplo = 'U';
  const int n = int(size);
  int info = 0, lwork = -1, liwork = -1, iwork_size = 0;
  double work_size = 0;
  dsyevd_(&job, &uplo, &n, a.data<double>(), &n, values.data(), &work_size, &lwork, &iwork_size, &liwork, &info, 1, 1);
  DFORGE_CHECK(info == 0, "symmetric_eigen: dsyevd's workspace query failed (info ", info, ")");
  lwork = int(work_size);
  liwork = iwork_size;
  std::vector<double> work(size_t(std::max(lwork, 1)));
  std::vector<int> iwork(size_t(std::max(liwork, 1)));
  dsyevd_(&job, &uplo, &n, a.data<double>(), &n, values.data(), work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
  DFORGE_CHECK(info == 0, "symmetric_eigen: LAPACK dsyevd failed on ", matrix.describe(), " (info ", info,
               info > 0 ? ": did not converge)" : ")");
  return values;
}

Tensor vector_from(const std::vector<double>& values) {
  return Tensor::from_values(values, {int64_t(values.size())}, DType::f64);
}

// The eigenvalues of an n x n matrix that are indistinguishable from 0 after rounding lie below
// n eps max |lambda| (numpy's matrix_rank tolerance).
double rounding_level(const std::vector<double>& values, int64_t n) {
  double largest = 0;
  for (double value : values) largest = std::max(largest, std::abs(value));
  return double(n) * std::numeric_limits<double>::epsilon() * largest;
}

}  // namespace

SymmetricEigen symmetric_eigen(const Tensor& matrix) {
  Tensor a = as_f64_matrix(matrix, "symmetric_eigen");
  const std::vector<double> values = lapack_eigen(a, true, matrix);
  const int64_t n = a.size(0);
  Tensor columns = Tensor::empty({n, n}, DType::f64);  // eigenvector j as column j
  const double* rows = a.data<double>();
  double* out = columns.data<double>();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) out[i * n + j] = rows[j * n + i];
  return {vector_from(values), columns};
}

Tensor symmetric_eigenvalues(const Tensor& matrix) {
  Tensor a = as_f64_matrix(matrix, "symmetric_eigenvalues");
  return vector_from(lapack_eigen(a, false, matrix));
}

Tensor symmetric_sqrt(const Tensor& matrix) {
  Tensor w = as_f64_matrix(matrix, "symmetric_sqrt");
  const std::vector<double> values = lapack_eigen(w, true, matrix);  // w = V^T
  // V diag(sqrt(l)) V^T = W^T W with W = diag(l^(1/4)) V^T: one product.
  const int64_t n = w.size(0);
  double* rows = w.data<double>();
  for (int64_t j = 0; j < n; ++j) {
    const double root = std::sqrt(std::sqrt(std::max(values[j], 0.0)));
    for (int64_t i = 0; i < n; ++i) rows[j * n + i] *= root;
  }
  return runtime::matmul(w, w, true, false);
}

double trace_sqrt_product(const Tensor& s1, const Tensor& s2) {
  Tensor v = as_f64_matrix(s1, "trace_sqrt_product");
  const Tensor b = as_f64_matrix(s2, "trace_sqrt_product");
  DFORGE_CHECK(v.size(0) == b.size(0), "trace_sqrt_product: shapes ", s1.describe(), " and ", s2.describe());
  const int64_t n = v.size(0);
  const std::vector<double> values = lapack_eigen(v, true, s1);  // row j of v: eigenvector v_j
  // With the r eigenvalues of S1 above rounding, S1^(1/2) = V_r D_r^(1/2) V_r^T and
  // M = S1^(1/2) S2 S1^(1/2) = V_r (K S2 K^T) V_r^T, K = D_r^(1/2) V_r^T [r, n]: the r x r K S2 K^T
  // has M's non-zero eigenvalues, and r = rank S1 < n when there are fewer samples than dimensions.
  const double level = rounding_level(values, n);
  std::vector<double> kept;
  for (int64_t j = 0; j < n; ++j)
    if (values[j] > level) {
      const double root = std::sqrt(values[j]);
      for (int64_t i = 0; i < n; ++i) kept.push_back(root * v.data<double>()[j * n + i]);
    }
  const int64_t r = int64_t(kept.size()) / std::max<int64_t>(n, 1);
  if (r == 0) return 0.0;
  const Tensor k = Tensor::from_values(kept, {r, n}, DType::f64);
  Tensor m = runtime::matmul(runtime::matmul(k, b), k, false, true);
  double* d = m.data<double>();
  for (int64_t i = 0; i < r; ++i)  // symmetrise away the rounding of the two products
    for (int64_t j = 0; j < i; ++j) d[i * r + j] = d[j * r + i] = 0.5 * (d[i * r + j] + d[j * r + i]);
  // Eigenvalues of M within rounding of 0 count as 0: their computed values are noise of size
  // eps |M|, whose square roots, of size sqrt(eps) |S|, would otherwise add up.
  const std::vector<double> m_values = symmetric_eigenvalues(m).to_vector();
  const double m_level = rounding_level(m_values, n);
  double trace = 0;
  for (double value : m_values)
    if (value > m_level) trace += std::sqrt(value);
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
