// The fused normalisation kernels: hand-checked statistics and outputs for the axis sets of batch,
// instance and channel norm, a cross-check against mean/var reductions on shapes that exercise lane
// blocks and the parallel path, the closed-form backward, and argument errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/elementwise.h"
#include "runtime/error.h"
#include "runtime/norm.h"
#include "runtime/reduce.h"
#include "tests/support/compare.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::check_close;

namespace {

// (x - mean) / sqrt(var + eps) from the reduction ops: an independent reference.
Tensor reference_normalize(const Tensor& x, const std::vector<int>& axes, double eps) {
  Tensor centered = runtime::sub(x, runtime::mean(x, axes, true));
  Tensor spread = runtime::unary(math::UnaryOp::sqrt, runtime::affine(runtime::var(x, axes, true, 0), 1.0, eps));
  return runtime::div(centered, spread);
}

}  // namespace

TEST_CASE("normalize_forward over the last axis: hand-checked", "[norm][runtime]") {
  // x = [1, 3, 5, 7]: mean 4, biased var (9 + 1 + 1 + 9) / 4 = 5, eps 4 -> rstd 1/sqrt(9) = 1/3,
  // y = (x - 4) / 3 = [-1, -1/3, 1/3, 1].
  for (DType dtype : {DType::f32, DType::f64}) {
    Tensor x = Tensor::from_values({1, 3, 5, 7}, {1, 4}, dtype);
    runtime::NormalizeResult result = runtime::normalize_forward(x, {1}, 4.0);
    CHECK(result.output.shape() == Shape{1, 4});
    CHECK(result.mean.shape() == Shape{1, 1});
    CHECK(result.output.dtype() == dtype);
    check_close(result.output, {-1, -1.0 / 3, 1.0 / 3, 1}, 1e-6);
    check_close(result.mean, {4}, 1e-6);
    check_close(result.var, {5}, 1e-6);
    check_close(result.rstd, {1.0 / 3}, 1e-6);
  }
}

TEST_CASE("normalize_forward over the spatial axes (instance norm): hand-checked", "[norm][runtime]") {
  // Channel 0 is [1, 2, 3, 4]: mean 2.5, var (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25, so
  // y = (x - 2.5) / sqrt(1.25 + eps). Channel 1 is constant: var 0, y = 0, rstd = 1 / sqrt(eps).
  const double eps = 1e-5;
  Tensor x = Tensor::from_values({1, 2, 3, 4, 2, 2, 2, 2}, {1, 2, 2, 2}, DType::f64);
  runtime::NormalizeResult result = runtime::normalize_forward(x, {2, 3}, eps);
  const double scale = 1.0 / std::sqrt(1.25 + eps);
  check_close(result.output, {-1.5 * scale, -0.5 * scale, 0.5 * scale, 1.5 * scale, 0, 0, 0, 0}, 1e-12);
  CHECK(result.mean.shape() == Shape{1, 2, 1, 1});
  check_close(result.mean, {2.5, 2}, 1e-12);
  check_close(result.var, {1.25, 0}, 1e-12);
  check_close(result.rstd, {scale, 1.0 / std::sqrt(eps)}, 1e-9);
}

TEST_CASE("normalize_forward over batch and spatial axes (batch norm): hand-checked", "[norm][runtime]") {
  // x [2, 2, 1, 2]: channel 0 holds {1, 2} (n 0) and {3, 4} (n 1): mean 2.5, var 1.25.
  // Channel 1 holds {0, 4} and {4, 0}: mean 2, deviations +-2, var 4, y = (x - 2) / 2.
  Tensor x = Tensor::from_values({1, 2, 0, 4, 3, 4, 4, 0}, {2, 2, 1, 2}, DType::f32);
  runtime::NormalizeResult result = runtime::normalize_forward(x, {0, 2, 3}, 0.0);
  const double s = 1.0 / std::sqrt(1.25);
  check_close(result.output, {-1.5 * s, -0.5 * s, -1, 1, 0.5 * s, 1.5 * s, 1, -1}, 1e-6);
  CHECK(result.mean.shape() == Shape{1, 2, 1, 1});
  check_close(result.mean, {2.5, 2}, 1e-6);
  check_close(result.var, {1.25, 4}, 1e-6);
  check_close(result.rstd, {s, 0.5}, 1e-6);
}

TEST_CASE("normalize_forward across channels (channel norm): hand-checked", "[norm][runtime]") {
  // x [1, 3, 1, 2]. Pixel 0 has channels (1, 2, 3): mean 2, var (1 + 0 + 1) / 3 = 2/3.
  // Pixel 1 has channels (6, 0, 0): mean 2, var (16 + 4 + 4) / 3 = 8.
  Tensor x = Tensor::from_values({1, 6, 2, 0, 3, 0}, {1, 3, 1, 2}, DType::f64);
  runtime::NormalizeResult result = runtime::normalize_forward(x, {1}, 0.0);
  const double a = 1.0 / std::sqrt(2.0 / 3.0), b = 1.0 / std::sqrt(8.0);
  check_close(result.output, {-a, 4 * b, 0, -2 * b, a, -2 * b}, 1e-12);
  CHECK(result.mean.shape() == Shape{1, 1, 1, 2});
  check_close(result.mean, {2, 2}, 1e-12);
  check_close(result.var, {2.0 / 3.0, 8}, 1e-12);
}

TEST_CASE("normalize_forward matches mean/var reductions for many axis sets", "[norm][runtime]") {
  // [3, 4, 60, 50] has 36000 elements (parallel path) and 3000 lanes for axis 1 (many lane blocks).
  Tensor x64 = testing::random_tensor({3, 4, 60, 50}, 7, -2.0, 3.0);
  Tensor x32 = x64.to(DType::f32);
  const std::vector<std::vector<int>> axis_sets = {{1}, {0, 2, 3}, {2, 3}, {1, 3}, {0}, {-1}, {0, 1, 2, 3}, {2}};
  for (const std::vector<int>& axes : axis_sets) {
    INFO("axes " << shape_str(Shape(axes.begin(), axes.end())));
    Tensor expected = reference_normalize(x64, axes, 1e-5);
    check_close(runtime::normalize_forward(x64, axes, 1e-5).output, expected.to_vector(), 1e-10);
    check_close(runtime::normalize_forward(x32, axes, 1e-5).output, expected.to_vector(), 1e-4);
  }
}

TEST_CASE("normalize_forward is deterministic on the parallel path", "[norm][runtime]") {
  Tensor x = testing::random_tensor({2, 8, 48, 48}, 9, -1.0, 1.0, DType::f32);
  std::vector<double> first = runtime::normalize_forward(x, {0, 2, 3}, 1e-5).output.to_vector();
  std::vector<double> second = runtime::normalize_forward(x, {0, 2, 3}, 1e-5).output.to_vector();
  CHECK(first == second);
}

TEST_CASE("normalize_backward: hand-checked closed form", "[norm][runtime]") {
  // From the first case: y = [-1, -1/3, 1/3, 1], rstd = 1/3. With dy = [1, 0, 0, 0]:
  // mean(dy) = 1/4, mean(dy * y) = -1/4, dx = (1/3)(dy - 1/4 + y/4) = [1/6, -1/9, -1/18, 0].
  for (DType dtype : {DType::f32, DType::f64}) {
    Tensor y = Tensor::from_values({-1, -1.0 / 3, 1.0 / 3, 1}, {1, 4}, dtype);
    Tensor dy = Tensor::from_values({1, 0, 0, 0}, {1, 4}, dtype);
    Tensor rstd = Tensor::from_values({1.0 / 3}, {1, 1}, dtype);
    check_close(runtime::normalize_backward(dy, y, rstd, {1}), {1.0 / 6, -1.0 / 9, -1.0 / 18, 0}, 1e-6);
  }
}

TEST_CASE("normalize_backward in f32 matches f64 on groups longer than a summation chunk", "[norm][runtime]") {
  // Groups of 2500 contiguous elements (instance norm) and of 2 rows of 2500 (batch norm): several
  // 1024-element chunks, a tail that is not a whole SIMD width, and the parallel path.
  Tensor x64 = testing::random_tensor({2, 8, 50, 50}, 11, -2.0, 3.0);
  Tensor dy64 = testing::random_tensor({2, 8, 50, 50}, 12, -1.0, 1.0);
  for (const std::vector<int>& axes : std::vector<std::vector<int>>{{2, 3}, {0, 2, 3}}) {
    INFO("axes " << shape_str(Shape(axes.begin(), axes.end())));
    runtime::NormalizeResult forward64 = runtime::normalize_forward(x64, axes, 1e-5);
    runtime::NormalizeResult forward32 = runtime::normalize_forward(x64.to(DType::f32), axes, 1e-5);
    Tensor expected = runtime::normalize_backward(dy64, forward64.output, forward64.rstd, axes);
    Tensor actual = runtime::normalize_backward(dy64.to(DType::f32), forward32.output, forward32.rstd, axes);
    check_close(actual, expected.to_vector(), 1e-4);
  }
}

TEST_CASE("normalize_backward across channels: hand-checked per pixel", "[norm][runtime]") {
  // y [1, 3, 1, 2] normalised over axis 1 (the kernel only applies the formula per pixel):
  // pixel 0: y = (-1, 0, 1), rstd 1, dy = (1, 0, 0): mean(dy) = 1/3, mean(dy * y) = -1/3,
  //   dx = dy - 1/3 + y/3 = (1/3, -1/3, 0).
  // pixel 1: y = (0, 1, -1), rstd 2, dy = (0, 3, 0): mean(dy) = 1, mean(dy * y) = 1,
  //   dx = 2 (dy - 1 - y) = (-2, 2, 0).
  Tensor y = Tensor::from_values({-1, 0, 0, 1, 1, -1}, {1, 3, 1, 2}, DType::f64);
  Tensor dy = Tensor::from_values({1, 0, 0, 3, 0, 0}, {1, 3, 1, 2}, DType::f64);
  Tensor rstd = Tensor::from_values({1, 2}, {1, 1, 1, 2}, DType::f64);
  check_close(runtime::normalize_backward(dy, y, rstd, {1}), {1.0 / 3, -2, -1.0 / 3, 2, 0, 0}, 1e-12);
}

TEST_CASE("normalize errors name the op and the offending values", "[norm][runtime]") {
  Tensor x = Tensor::from_values({1, 2, 3, 4}, {2, 2});
  CHECK_THROWS_WITH(runtime::normalize_forward(x, {}, 1e-5), Catch::Contains("normalize_forward") &&
                                                              Catch::Contains("no axes") && Catch::Contains("[2, 2]"));
  CHECK_THROWS_WITH(runtime::normalize_forward(x, {2}, 1e-5), Catch::Contains("normalize_forward: axis 2"));
  CHECK_THROWS_WITH(runtime::normalize_forward(x, {1}, -1.0), Catch::Contains("eps must be >= 0, got -1"));
  CHECK_THROWS_WITH(runtime::normalize_forward(Tensor::scalar(1.0), {0}, 1e-5), Catch::Contains("0-d"));
  CHECK_THROWS_WITH(runtime::normalize_forward(Tensor::empty({2, 0}), {1}, 1e-5),
                    Catch::Contains("empty groups") && Catch::Contains("[2, 0]"));
  CHECK_THROWS_WITH(runtime::normalize_forward(Tensor::zeros({2, 2}, DType::i32), {1}, 1e-5),
                    Catch::Contains("normalize_forward: needs a floating tensor"));
  Tensor rstd = Tensor::from_values({1, 1}, {2, 1});
  CHECK_THROWS_WITH(runtime::normalize_backward(x, x, rstd, {0}),
                    Catch::Contains("rstd [2, 1] should be [1, 2]"));
  CHECK_THROWS_WITH(runtime::normalize_backward(Tensor::zeros({4}), x, rstd, {1}),
                    Catch::Contains("grad_output [4] and normalized [2, 2] differ"));
  CHECK_THROWS_AS(runtime::normalize_backward(x.to(DType::f64), x, rstd, {1}), Error);
}
