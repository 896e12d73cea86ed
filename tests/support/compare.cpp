#include "tests/support/compare.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

namespace dforge::testing {

namespace {

// Sum of the element-wise products, in f64.
double dot(const Tensor& a, const Tensor& b) {
  std::vector<double> left = a.to_vector(), right = b.to_vector();
  REQUIRE(left.size() == right.size());
  double total = 0;
  for (size_t i = 0; i < left.size(); ++i) total += left[i] * right[i];
  return total;
}

}  // namespace

Tensor ramp(const Shape& shape, DType dtype) {
  std::vector<double> values(size_t(numel_of(shape)));
  for (size_t i = 0; i < values.size(); ++i) values[i] = double(i);
  return Tensor::from_values(values, shape, dtype);
}

void check_close(const Tensor& actual, const std::vector<double>& expected, double absolute, double relative) {
  std::vector<double> values = actual.to_vector();
  REQUIRE(values.size() == expected.size());
  // excess = difference - bound; every element passes exactly when the largest excess is <= 0.
  double worst_excess = -INFINITY;
  size_t worst_index = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const double difference = std::fabs(values[i] - expected[i]);
    const double bound = absolute + relative * std::fabs(expected[i]);
    const double excess = difference <= bound ? difference - bound : INFINITY;  // NaN lands here
    if (excess > worst_excess) worst_excess = excess, worst_index = i;
  }
  std::ostringstream report;
  if (!values.empty()) {
    report << "worst element " << worst_index << ": got " << values[worst_index] << ", expected "
           << expected[worst_index] << ", difference " << std::fabs(values[worst_index] - expected[worst_index])
           << ", allowed " << absolute + relative * std::fabs(expected[worst_index]);
  }
  INFO(report.str());
  CHECK(worst_excess <= 0);
}

void check_values(const Tensor& actual, const Shape& shape, const std::vector<double>& expected, double absolute,
                  double relative) {
  REQUIRE(shape_str(actual.shape()) == shape_str(shape));
  check_close(actual, expected, absolute, relative);
}

void check_adjoint(const Tensor& x, const Tensor& forward_of_x, const Tensor& y, const Tensor& adjoint_of_y) {
  CHECK(dot(forward_of_x, y) == Approx(dot(x, adjoint_of_y)).epsilon(1e-12).margin(1e-9));
}

}  // namespace dforge::testing
