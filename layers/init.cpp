#include "layers/init.h"

#include <cmath>

#include "runtime/error.h"
#include "runtime/fill.h"

namespace dforge::init {

namespace {
Tensor storage_of(const Variable& parameter) {
  DFORGE_CHECK(parameter.defined(), "init: undefined parameter");
  return parameter.data();  // shares storage: filling it fills the parameter
}

int64_t receptive_field(const Shape& shape) {
  int64_t size = 1;
  for (size_t d = 2; d < shape.size(); ++d) size *= shape[d];
  return size;
}
}  // namespace

int64_t fan_in(const Shape& shape) {
  DFORGE_CHECK(shape.size() >= 2, "init: fan in/out need at least 2 dims, got ", shape_str(shape));
  return shape[1] * receptive_field(shape);
}

int64_t fan_out(const Shape& shape) {
  DFORGE_CHECK(shape.size() >= 2, "init: fan in/out need at least 2 dims, got ", shape_str(shape));
  return shape[0] * receptive_field(shape);
}

void constant(const Variable& parameter, double value) {
  Tensor data = storage_of(parameter);
  runtime::fill(data, value);
}

void normal(const Variable& parameter, double mean, double stddev, Generator& generator) {
  Tensor data = storage_of(parameter);
  runtime::fill_normal(data, mean, stddev, generator);
}

void uniform(const Variable& parameter, double low, double high, Generator& generator) {
  Tensor data = storage_of(parameter);
  runtime::fill_uniform(data, low, high, generator);
}

void xavier_normal(const Variable& parameter, double gain, Generator& generator) {
  const Shape& shape = parameter.shape();
  normal(parameter, 0.0, gain * std::sqrt(2.0 / double(fan_in(shape) + fan_out(shape))), generator);
}

void xavier_uniform(const Variable& parameter, double gain, Generator& generator) {
  const Shape& shape = parameter.shape();
  const double bound = gain * std::sqrt(6.0 / double(fan_in(shape) + fan_out(shape)));
  uniform(parameter, -bound, bound, generator);
}

void kaiming_normal(const Variable& parameter, double a, Generator& generator) {
  const double gain = std::sqrt(2.0 / (1.0 + a * a));
  normal(parameter, 0.0, gain / std::sqrt(double(fan_in(parameter.shape()))), generator);
}

void kaiming_uniform(const Variable& parameter, double a, Generator& generator) {
  const double gain = std::sqrt(2.0 / (1.0 + a * a));
  const double bound = gain * std::sqrt(3.0 / double(fan_in(parameter.shape())));
  uniform(parameter, -bound, bound, generator);
}

}  // namespace dforge::init
