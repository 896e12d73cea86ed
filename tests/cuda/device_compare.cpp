#include "tests/cuda/device_compare.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include "runtime/fill.h"
#include "runtime/random.h"

namespace dforge::testing {

namespace {

bool dry_run_enabled = false;

std::string position_str(int64_t flat, const Shape& shape) {
  Shape index(shape.size());
  for (int d = int(shape.size()) - 1; d >= 0; --d) {
    index[d] = shape[d] > 0 ? flat % shape[d] : 0;
    flat = shape[d] > 0 ? flat / shape[d] : 0;
  }
  return shape_str(index);
}

// How far `actual` is from `expected` in units of the allowed error; 0 when they match exactly.
double error_ratio(double expected, double actual, double rtol, double atol) {
  if (std::isnan(expected) || std::isnan(actual))
    return std::isnan(expected) && std::isnan(actual) ? 0 : INFINITY;
  if (std::isinf(expected) || std::isinf(actual)) return expected == actual ? 0 : INFINITY;
  return std::fabs(actual - expected) / (atol + rtol * std::fabs(expected));
}

}  // namespace

Device target_device() { return dry_run_enabled ? Device::cpu() : Device::cuda(); }
void set_dry_run(bool dry_run) { dry_run_enabled = dry_run; }

Comparison compare_tensors(const Tensor& expected, const Tensor& actual, double rtol, double atol) {
  Comparison result;
  std::ostringstream report;
  if (expected.shape() != actual.shape() || expected.dtype() != actual.dtype()) {
    result.ok = false;
    result.worst = INFINITY;
    report << "expected " << expected.describe() << ", got " << actual.describe();
    result.report = report.str();
    return result;
  }
  const bool exact = !is_floating(expected.dtype());
  const std::vector<double> want = expected.to_vector(), got = actual.to_vector();
  int64_t worst_at = -1;
  for (size_t i = 0; i < want.size(); ++i) {
    const double ratio =
        exact ? (want[i] == got[i] ? 0 : INFINITY) : error_ratio(want[i], got[i], rtol, atol);
    if (ratio > result.worst || (worst_at < 0 && ratio > 0)) {
      result.worst = ratio;
      worst_at = int64_t(i);
    }
  }
  result.ok = exact ? result.worst == 0 : result.worst <= 1.0;
  report.precision(10);
  report << expected.describe() << ": worst error " << result.worst << " x (atol " << atol << " + rtol "
         << rtol << " |cpu|)";
  if (worst_at >= 0) {
    report << " at " << position_str(worst_at, expected.shape()) << ": cpu " << want[size_t(worst_at)]
           << ", cuda " << got[size_t(worst_at)];
  }
  result.report = report.str();
  return result;
}

Comparison compare_devices(const std::string& name, const TensorOp& op, const std::vector<Tensor>& inputs,
                           double rtol, double atol) {
  if (atol < 0) atol = rtol;
  const std::vector<Tensor> expected = op(inputs);
  const std::vector<Tensor> actual = op(to_device(inputs, target_device()));
  Comparison result;
  std::ostringstream report;
  report << name << ":";
  if (expected.size() != actual.size()) {
    result.ok = false;
    report << " the CPU gave " << expected.size() << " outputs, CUDA " << actual.size();
  }
  for (size_t k = 0; k < expected.size() && k < actual.size(); ++k) {
    if (actual[k].device() != target_device()) {
      result.ok = false;
      report << "\n  output " << k << " is not on " << target_device().name() << " (" << actual[k].describe()
             << ")";
      continue;
    }
    const Comparison one = compare_tensors(expected[k], actual[k], rtol, atol);
    result.ok = result.ok && one.ok;
    result.worst = std::max(result.worst, one.worst);
    report << "\n  output " << k << ": " << one.report;
  }
  result.report = report.str();
  return result;
}

bool identical_bits(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
  const Tensor left = a.to(Device::cpu()), right = b.to(Device::cpu());
  return std::memcmp(left.raw(), right.raw(), left.nbytes()) == 0;
}

Tensor random_input(const Shape& shape, uint64_t seed, DType dtype, double low, double high) {
  Generator generator(seed);
  Tensor values = Tensor::empty(shape, is_floating(dtype) ? dtype : DType::f64);
  runtime::fill_uniform(values, low, high, generator);
  if (is_floating(dtype)) return values;
  return runtime::cast(values, dtype);
}

std::vector<Tensor> to_device(const std::vector<Tensor>& tensors, Device device) {
  std::vector<Tensor> moved;
  for (const Tensor& tensor : tensors) moved.push_back(tensor.defined() ? tensor.to(device) : tensor);
  return moved;
}

}  // namespace dforge::testing
