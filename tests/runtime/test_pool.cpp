// Pooling kernels: forward and backward values checked by hand, the adjoint identity
// <A x, y> = <x, A^T y> for every linear pooling, and the argument errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "runtime/pool.h"
#include "tests/support/compare.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using Catch::Matchers::Contains;
using testing::random_tensor;
using testing::check_values;
using testing::check_adjoint;
using testing::ramp;

TEST_CASE("avg_pool2d: 2x2 windows of a 4x4 ramp", "[runtime][pool]") {
  // Windows {0,1,4,5}, {2,3,6,7}, {8,9,12,13}, {10,11,14,15}: means 2.5, 4.5, 10.5, 12.5.
  for (DType dtype : {DType::f32, DType::f64}) {
    check_values(runtime::avg_pool2d(ramp({1, 1, 4, 4}, dtype), 2, 2), {1, 1, 2, 2}, {2.5, 4.5, 10.5, 12.5}, 1e-6);
  }
}

TEST_CASE("avg_pool2d: padding with and without count_include_pad", "[runtime][pool]") {
  // 3x3 ramp 0..8, 3x3 windows, stride 1, padding 1. In-image sums: corners 0+1+3+4 = 8,
  // 1+2+4+5 = 12, 3+4+6+7 = 20, 4+5+7+8 = 24; edges 0+..+5 = 15, 0+1+3+4+6+7 = 21,
  // 1+2+4+5+7+8 = 27, 3+..+8 = 33; centre 36. Divisor 9 with padding counted, else 4/6/9.
  Tensor x = ramp({1, 1, 3, 3});
  check_values(runtime::avg_pool2d(x, 3, 1, 1, true), {1, 1, 3, 3},
               {8 / 9.0, 15 / 9.0, 12 / 9.0, 21 / 9.0, 36 / 9.0, 27 / 9.0, 20 / 9.0, 33 / 9.0, 24 / 9.0}, 1e-12);
  check_values(runtime::avg_pool2d(x, 3, 1, 1, false), {1, 1, 3, 3},
               {8 / 4.0, 15 / 6.0, 12 / 4.0, 21 / 6.0, 36 / 9.0, 27 / 6.0, 20 / 4.0, 33 / 6.0, 24 / 4.0}, 1e-12);
}

TEST_CASE("avg_pool2d_backward spreads each gradient over its window", "[runtime][pool]") {
  // Non-overlapping 2x2 windows: each input gets its window's gradient / 4.
  Tensor grad = Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2}, DType::f64);
  check_values(runtime::avg_pool2d_backward(grad, {1, 1, 4, 4}, 2, 2, 0, true), {1, 1, 4, 4},
               {0.25, 0.25, 0.5, 0.5, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1, 0.75, 0.75, 1, 1}, 1e-12);
  // 1x3 plane, kernel 3, stride 1, padding 1, padding not counted: outputs average {x0,x1},
  // {x0,x1,x2}, {x1,x2}; gradient (1,1,1) gives x0: 1/2 + 1/3, x1: 1/2 + 1/3 + 1/2, x2: 1/3 + 1/2.
  // (Height 1 with padding 1: every window keeps the single row, divisor 1 along the height.)
  Tensor ones = Tensor::from_values({1, 1, 1}, {1, 1, 1, 3}, DType::f64);
  check_values(runtime::avg_pool2d_backward(ones, {1, 1, 1, 3}, 3, 1, 1, false), {1, 1, 1, 3},
               {5 / 6.0, 4 / 3.0, 5 / 6.0}, 1e-12);
}

TEST_CASE("max_pool2d: values and argmax indices", "[runtime][pool]") {
  SECTION("2x2 windows of a 4x4 ramp take each window's bottom-right element") {
    runtime::MaxPoolResult result = runtime::max_pool2d(ramp({1, 1, 4, 4}, DType::f32), 2, 2);
    check_values(result.values, {1, 1, 2, 2}, {5, 7, 13, 15}, 1e-12);
    check_values(result.indices, {1, 1, 2, 2}, {5, 7, 13, 15}, 1e-12);
  }
  SECTION("padding is -inf, never zero") {
    // [[-1, -2], [-3, -4]], 2x2 windows, stride 1, padding 1: window (i, j) covers rows i-1..i and
    // columns j-1..j; its maximum is the largest in-image element, even though all are negative.
    Tensor x = Tensor::from_values({-1, -2, -3, -4}, {1, 1, 2, 2}, DType::f64);
    runtime::MaxPoolResult result = runtime::max_pool2d(x, 2, 1, 1);
    check_values(result.values, {1, 1, 3, 3}, {-1, -1, -2, -1, -1, -2, -3, -3, -4}, 1e-12);
    check_values(result.indices, {1, 1, 3, 3}, {0, 0, 1, 0, 0, 1, 2, 2, 3}, 1e-12);
  }
  SECTION("the first maximum wins a tie, a NaN wins over numbers") {
    Tensor x = Tensor::from_values({7, 7, 1, 7, 1, 2, std::nan(""), 3}, {2, 1, 2, 2}, DType::f64);
    runtime::MaxPoolResult result = runtime::max_pool2d(x, 2, 2);
    check_values(result.indices, {2, 1, 1, 1}, {0, 2}, 1e-12);
    CHECK(result.values.to_vector()[0] == 7);
    CHECK(std::isnan(result.values.to_vector()[1]));
  }
}

TEST_CASE("max_pool2d_backward gathers every output that chose an element", "[runtime][pool]") {
  // [[0, 5, 1], [2, 3, 4]], 2x2 windows, stride 1: both windows choose the 5 (index 1), so the
  // gradient (1, 10) sums to 11 there and is 0 elsewhere.
  Tensor x = Tensor::from_values({0, 5, 1, 2, 3, 4}, {1, 1, 2, 3}, DType::f64);
  runtime::MaxPoolResult pooled = runtime::max_pool2d(x, 2, 1);
  check_values(pooled.indices, {1, 1, 1, 2}, {1, 1}, 1e-12);
  Tensor grad = Tensor::from_values({1, 10}, {1, 1, 1, 2}, DType::f64);
  check_values(runtime::max_pool2d_backward(grad, pooled.indices, x.shape(), 2, 1, 0), {1, 1, 2, 3},
               {0, 11, 0, 0, 0, 0}, 1e-12);
  // The adjoint reads the element at each index back: x[1] = 5 twice.
  check_values(runtime::max_pool2d_select(x, pooled.indices), {1, 1, 1, 2}, {5, 5}, 1e-12);
}

TEST_CASE("adaptive_avg_pool2d: PyTorch's bins", "[runtime][pool]") {
  // 4 -> 3: bins [0,2), [1,3), [2,4); output (i, j) averages rows i, i+1 and columns j, j+1 of the
  // ramp: (4i + j + 4i + j + 1 + 4i + j + 4 + 4i + j + 5) / 4 = 4i + j + 2.5.
  check_values(runtime::adaptive_avg_pool2d(ramp({1, 1, 4, 4}), 3, 3), {1, 1, 3, 3},
               {2.5, 3.5, 4.5, 6.5, 7.5, 8.5, 10.5, 11.5, 12.5}, 1e-12);
  // 5 -> 3 (uneven): bins [0,2), [1,4), [3,5): means of {0,1}, {1,2,3}, {3,4}.
  check_values(runtime::adaptive_avg_pool2d(ramp({1, 1, 1, 5}, DType::f32), 1, 3), {1, 1, 1, 3}, {0.5, 2, 3.5},
               1e-6);
  // Backward of ones: each input gets the sum of 1 / (bin size) over the bins holding it.
  Tensor ones = Tensor::from_values({1, 1, 1}, {1, 1, 1, 3}, DType::f64);
  check_values(runtime::adaptive_avg_pool2d_backward(ones, {1, 1, 1, 5}), {1, 1, 1, 5},
               {0.5, 0.5 + 1 / 3.0, 1 / 3.0, 1 / 3.0 + 0.5, 0.5}, 1e-12);
}

TEST_CASE("pool backward kernels are the adjoints of the forwards", "[runtime][pool]") {
  // <A x, y> = <x, A^T y> for random x and y; the large case runs the OpenMP path.
  struct Case { const char* name; Shape input; int kernel, stride, padding; bool count_include_pad; };
  std::vector<Case> cases = {{"overlapping, padded, counted", {2, 3, 7, 6}, 3, 2, 1, true},
                             {"overlapping, padded, not counted", {2, 3, 7, 6}, 3, 2, 1, false},
                             {"large", {2, 2, 260, 130}, 2, 1, 0, true}};
  for (const Case& c : cases) {
    SECTION(c.name) {
      Tensor x = random_tensor(c.input, 1);
      Tensor y = random_tensor(runtime::avg_pool2d(x, c.kernel, c.stride, c.padding).shape(), 2);
      check_adjoint(x, runtime::avg_pool2d(x, c.kernel, c.stride, c.padding, c.count_include_pad), y,
                    runtime::avg_pool2d_backward(y, c.input, c.kernel, c.stride, c.padding, c.count_include_pad));
      runtime::MaxPoolResult pooled = runtime::max_pool2d(x, c.kernel, c.stride, c.padding);
      Tensor scattered = runtime::max_pool2d_backward(y, pooled.indices, c.input, c.kernel, c.stride, c.padding);
      check_adjoint(x, runtime::max_pool2d_select(x, pooled.indices), y, scattered);
      check_values(runtime::max_pool2d_select(x, pooled.indices), pooled.values.shape(), pooled.values.to_vector(),
                   1e-12);
    }
  }
  SECTION("adaptive, uneven bins") {
    Tensor x = random_tensor({2, 3, 7, 5}, 3);
    Tensor y = random_tensor({2, 3, 3, 4}, 4);
    check_adjoint(x, runtime::adaptive_avg_pool2d(x, 3, 4), y, runtime::adaptive_avg_pool2d_backward(y, x.shape()));
  }
}

TEST_CASE("pooling rejects bad arguments with clear messages", "[runtime][pool]") {
  Tensor x = ramp({1, 1, 4, 4}, DType::f32);
  CHECK_THROWS_WITH(runtime::avg_pool2d(x, 5, 1),
                    Contains("avg_pool2d: kernel 5 is larger than the input [1, 1, 4, 4]"));
  CHECK_THROWS_WITH(runtime::max_pool2d(x, 7, 1, 1), Contains("max_pool2d: kernel 7 is larger than the input"));
  CHECK_THROWS_WITH(runtime::avg_pool2d(x, 3, 1, -1), Contains("avg_pool2d: padding -1 is negative"));
  CHECK_THROWS_WITH(runtime::max_pool2d(x, 2, 1, 2), Contains("max_pool2d: padding 2 is more than half the kernel 2"));
  CHECK_THROWS_WITH(runtime::avg_pool2d(x, 2, 0), Contains("avg_pool2d: stride 0 must be at least 1"));
  CHECK_THROWS_WITH(runtime::max_pool2d(x, 0, 1), Contains("max_pool2d: kernel 0 must be at least 1"));
  CHECK_THROWS_WITH(runtime::avg_pool2d(ramp({4, 4}), 2, 2),
                    Contains("avg_pool2d: expects a 4-D NCHW input, got f64[4, 4]"));
  CHECK_THROWS_WITH(runtime::max_pool2d(ramp({1, 4, 4}), 2, 2), Contains("max_pool2d: expects a 4-D NCHW input"));
  CHECK_THROWS_WITH(runtime::adaptive_avg_pool2d(ramp({1, 4, 4}), 2, 2),
                    Contains("adaptive_avg_pool2d: expects a 4-D NCHW input"));
  CHECK_THROWS_WITH(runtime::adaptive_avg_pool2d(x, 0, 2),
                    Contains("adaptive_avg_pool2d: output size 0x2 must be positive"));
  CHECK_THROWS_WITH(runtime::avg_pool2d(ramp({1, 1, 4, 4}, DType::i32), 2, 2),
                    Contains("avg_pool2d: needs an f32 or f64 input"));
  CHECK_THROWS_WITH(runtime::avg_pool2d_backward(ramp({1, 1, 3, 2}), {1, 1, 4, 4}, 2, 2, 0, true),
                    Contains("avg_pool2d_backward: gradient f64[1, 1, 3, 2] cpu does not match the forward output "
                             "shape [1, 1, 2, 2]"));
  Tensor bad_indices = Tensor::from_values({0, 99}, {1, 1, 1, 2}, DType::i32);
  CHECK_THROWS_WITH(runtime::max_pool2d_select(ramp({1, 1, 2, 3}), bad_indices),
                    Contains("max_pool2d_select: 1 indices fall outside the 2x3 input plane"));
  CHECK_THROWS_WITH(runtime::max_pool2d_backward(ramp({1, 1, 1, 2}), ramp({1, 1, 1, 2}), {1, 1, 2, 3}, 2, 1, 0),
                    Contains("max_pool2d_backward: indices must be i32"));
}
