// Softmax and log_softmax against values worked out by hand, on the last axis, an inner axis,
// lanes that span several kernel blocks, and inputs that would overflow a naive exp.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/error.h"
#include "runtime/softmax.h"
#include "tests/support/compare.h"

using namespace dforge;
using Catch::Matchers::Contains;
using testing::check_close;

TEST_CASE("softmax and log_softmax of [1, 2, 3]", "[runtime][softmax]") {
  // Shift by the max 3: exp(-2) = 0.1353352832, exp(-1) = 0.3678794412, exp(0) = 1,
  // sum = 1.5032147244, log(sum) = 0.4076059644.
  for (DType dtype : {DType::f32, DType::f64}) {
    const double tolerance = dtype == DType::f32 ? 1e-6 : 1e-9;
    Tensor x = Tensor::from_values({1, 2, 3}, {3}, dtype);
    check_close(runtime::softmax(x, 0), {0.0900305732, 0.2447284711, 0.6652409558}, tolerance);
    check_close(runtime::log_softmax(x, -1), {-2.4076059644, -1.4076059644, -0.4076059644}, tolerance);
  }
}

TEST_CASE("softmax along the first axis of a matrix", "[runtime][softmax]") {
  // Columns (1, 1), (2, 4), (3, 3): equal pairs give 1/2; (2, 4) gives 1/(1+e^2) = 0.1192029220.
  Tensor x = Tensor::from_values({1, 2, 3, 1, 4, 3}, {2, 3}, DType::f64);
  check_close(runtime::softmax(x, 0), {0.5, 0.1192029220, 0.5, 0.5, 0.8807970780, 0.5}, 1e-9);
}

TEST_CASE("softmax over channels of many lanes", "[runtime][softmax]") {
  // x[0, :, i] = (0, ln 3) for even i and (ln 3, 0) for odd i: softmax (1/4, 3/4) or (3/4, 1/4).
  // 300 lanes span two kernel blocks; 17000 lanes also cross the parallel threshold.
  for (int64_t lanes : {int64_t(300), int64_t(17000)}) {
    std::vector<double> values(size_t(2 * lanes)), expected(size_t(2 * lanes));
    for (int64_t i = 0; i < lanes; ++i) {
      const bool even = i % 2 == 0;
      values[size_t(i)] = even ? 0 : std::log(3.0);
      values[size_t(lanes + i)] = even ? std::log(3.0) : 0;
      expected[size_t(i)] = even ? 0.25 : 0.75;
      expected[size_t(lanes + i)] = even ? 0.75 : 0.25;
    }
    Tensor x = Tensor::from_values(values, {1, 2, lanes}, DType::f32);
    check_close(runtime::softmax(x, 1), expected, 1e-6);
  }
}

TEST_CASE("softmax is stable for large inputs", "[runtime][softmax]") {
  // exp(1000) overflows, but after subtracting the max the lanes are exp(0), exp(0) and exp(-2000), exp(0).
  Tensor x = Tensor::from_values({1000, 1000, -1000, 1000}, {2, 2}, DType::f32);
  check_close(runtime::softmax(x, 1), {0.5, 0.5, 0, 1}, 1e-7);
  check_close(runtime::log_softmax(x, 1), {-std::log(2.0), -std::log(2.0), -2000, 0}, 1e-4);
}

TEST_CASE("softmax rejects bad arguments", "[runtime][softmax]") {
  CHECK_THROWS_WITH(runtime::softmax(Tensor::from_values({1, 2}, {2}, DType::i32), 0),
                    Contains("softmax: needs a floating tensor") && Contains("i32[2]"));
  CHECK_THROWS_WITH(runtime::log_softmax(Tensor::zeros({2, 3}), 2), Contains("log_softmax: axis 2 is out of range"));
  CHECK_THROWS_WITH(runtime::softmax(Tensor::scalar(1.0), 0), Contains("softmax: needs at least one dim"));
  CHECK_THROWS_WITH(runtime::softmax(Tensor::zeros({2, 0}), 1), Contains("softmax: axis 1 of f32[2, 0] cpu is empty"));
}
