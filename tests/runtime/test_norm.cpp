// The fused normalisation kernels: hand-checked statistics and outputs for the axis sets of batch,
// instance and channel norm, a cross-check against mean/var reductions on shapes that exercise lane
// blocks and the parallel path, the closed-form backward, the per-channel affine with its weight and
// bias gradients (hand-checked, and against the plain kernels), and argument errors.
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
  // From the first case: x = [1, 3, 5, 7], mean 4, rstd = 1/3, xhat = [-1, -1/3, 1/3, 1]. With
  // dy = [1, 0, 0, 0]: mean(dy) = 1/4, mean(dy * xhat) = -1/4, dx = (1/3)(dy - 1/4 + xhat/4)
  // = [1/6, -1/9, -1/18, 0].
  for (DType dtype : {DType::f32, DType::f64}) {
    Tensor x = Tensor::from_values({1, 3, 5, 7}, {1, 4}, dtype);
    Tensor dy = Tensor::from_values({1, 0, 0, 0}, {1, 4}, dtype);
    Tensor mean = Tensor::from_values({4}, {1, 1}, dtype);
    Tensor rstd = Tensor::from_values({1.0 / 3}, {1, 1}, dtype);
    runtime::NormalizeGradients gradients = runtime::normalize_backward(dy, x, mean, rstd, {1});
    check_close(gradients.input, {1.0 / 6, -1.0 / 9, -1.0 / 18, 0}, 1e-6);
    CHECK_FALSE(gradients.weight.defined());
    CHECK_FALSE(gradients.bias.defined());
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
    runtime::NormalizeGradientRequest all{true, true, true};
    runtime::NormalizeGradients expected =
        runtime::normalize_backward(dy64, x64, forward64.mean, forward64.rstd, axes, Tensor(), all);
    runtime::NormalizeGradients actual = runtime::normalize_backward(
        dy64.to(DType::f32), x64.to(DType::f32), forward32.mean, forward32.rstd, axes, Tensor(), all);
    check_close(actual.input, expected.input.to_vector(), 1e-4);
    check_close(actual.weight, expected.weight.to_vector(), 1e-4);
    check_close(actual.bias, expected.bias.to_vector(), 1e-4);
  }
}

TEST_CASE("normalize_backward across channels: hand-checked per pixel", "[norm][runtime]") {
  // x [1, 3, 1, 2] normalised over axis 1 with given statistics (the kernel only applies the
  // formula per pixel; xhat = (x - mean) * rstd):
  // pixel 0: x = (-1, 0, 1), mean 0, rstd 1: xhat = (-1, 0, 1); dy = (1, 0, 0): mean(dy) = 1/3,
  //   mean(dy * xhat) = -1/3, dx = dy - 1/3 + xhat/3 = (1/3, -1/3, 0).
  // pixel 1: x = (1, 1.5, 0.5), mean 1, rstd 2: xhat = (0, 1, -1); dy = (0, 3, 0): mean(dy) = 1,
  //   mean(dy * xhat) = 1, dx = 2 (dy - 1 - xhat) = (-2, 2, 0).
  Tensor x = Tensor::from_values({-1, 1, 0, 1.5, 1, 0.5}, {1, 3, 1, 2}, DType::f64);
  Tensor dy = Tensor::from_values({1, 0, 0, 3, 0, 0}, {1, 3, 1, 2}, DType::f64);
  Tensor mean = Tensor::from_values({0, 1}, {1, 1, 1, 2}, DType::f64);
  Tensor rstd = Tensor::from_values({1, 2}, {1, 1, 1, 2}, DType::f64);
  check_close(runtime::normalize_backward(dy, x, mean, rstd, {1}).input, {1.0 / 3, -2, -1.0 / 3, 2, 0, 0}, 1e-12);
}

TEST_CASE("normalize with a per-channel affine: hand-checked forward and backward", "[norm][runtime]") {
  // x [2, 2, 4]: every n holds channel 0 = [1, 3, 5, 7] and channel 1 = [7, 5, 3, 1]. With eps 4 each
  // (n, c) group and each channel's batch has mean 4, var 5, rstd 1/3, so instance (axes {2}) and
  // batch norm (axes {0, 2}) share xhat: channel 0 [-1, -1/3, 1/3, 1], channel 1 [1, 1/3, -1/3, -1].
  // weight (2, 0), bias (-1, 0.5): y = 2 xhat - 1 = [-3, -5/3, -1/3, 1] and 0 * xhat + 0.5 = 0.5.
  // dy: n0c0 [1, 0, 0, 0], n0c1 [0, 2, 0, 0], n1c0 [0, 0, 0, 3], n1c1 [1, 0, 0, 0].
  // dweight = sum(dy * xhat) per channel: c0 = -1 + 3 = 2, c1 = 2/3 + 1 = 5/3; dbias = sum(dy): (4, 3).
  // dx = rstd * w * (dy - mean(dy) - xhat * mean(dy * xhat)) per group; channel 1 has w = 0: dx = 0.
  //   instance, n0c0: mean(dy) 1/4, mean(dy xhat) -1/4 -> (2/3)(1/2, -1/3, -1/6, 0);
  //             n1c0: mean(dy) 3/4, mean(dy xhat) 3/4  -> (2/3)(0, -1/2, -1, 3/2).
  //   batch, c0 (8 values): mean(dy) 1/2, mean(dy xhat) 2/8 = 1/4
  //     -> n0: (2/3)(3/4, -5/12, -7/12, -3/4), n1: (2/3)(-1/4, -5/12, -7/12, 9/4).
  const std::vector<double> x_values = {1, 3, 5, 7, 7, 5, 3, 1, 1, 3, 5, 7, 7, 5, 3, 1};
  const std::vector<double> dy_values = {1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0};
  const std::vector<double> expected_output = {-3, -5.0 / 3, -1.0 / 3, 1, 0.5, 0.5, 0.5, 0.5,
                                               -3, -5.0 / 3, -1.0 / 3, 1, 0.5, 0.5, 0.5, 0.5};
  const std::vector<double> instance_dx = {1.0 / 3, -2.0 / 9, -1.0 / 9, 0, 0, 0, 0, 0,
                                           0, -1.0 / 3, -2.0 / 3, 1, 0, 0, 0, 0};
  const std::vector<double> batch_dx = {0.5, -5.0 / 18, -7.0 / 18, -0.5, 0, 0, 0, 0,
                                        -1.0 / 6, -5.0 / 18, -7.0 / 18, 1.5, 0, 0, 0, 0};
  for (DType dtype : {DType::f32, DType::f64}) {
    const double tolerance = dtype == DType::f32 ? 1e-6 : 1e-12;
    Tensor x = Tensor::from_values(x_values, {2, 2, 4}, dtype);
    Tensor dy = Tensor::from_values(dy_values, {2, 2, 4}, dtype);
    Tensor weight = Tensor::from_values({2, 0}, {2}, dtype), bias = Tensor::from_values({-1, 0.5}, {2}, dtype);
    for (const std::vector<int>& axes : std::vector<std::vector<int>>{{2}, {0, 2}}) {
      INFO(dtype_name(dtype) << " axes " << shape_str(Shape(axes.begin(), axes.end())));
      runtime::NormalizeResult forward = runtime::normalize_forward(x, axes, 4.0, weight, bias);
      check_close(forward.output, expected_output, tolerance);
      check_close(forward.rstd, std::vector<double>(size_t(forward.rstd.numel()), 1.0 / 3), tolerance);
      runtime::NormalizeGradients gradients =
          runtime::normalize_backward(dy, x, forward.mean, forward.rstd, axes, weight, {true, true, true});
      check_close(gradients.input, axes.size() == 1 ? instance_dx : batch_dx, tolerance);
      check_close(gradients.weight, {2, 5.0 / 3}, tolerance);
      check_close(gradients.bias, {4, 3}, tolerance);
      // Each gradient alone is the same, and a bias alone shifts the plain output.
      check_close(runtime::normalize_backward(dy, x, forward.mean, forward.rstd, axes, weight, {false, true, false})
                      .weight, {2, 5.0 / 3}, tolerance);
      check_close(runtime::normalize_backward(dy, x, forward.mean, forward.rstd, axes, weight, {false, false, true})
                      .bias, {4, 3}, tolerance);
      Tensor shifted = runtime::normalize_forward(x, axes, 4.0, Tensor(), bias).output;
      check_close(shifted, {-2, -4.0 / 3, -2.0 / 3, 0, 1.5, 5.0 / 6, 1.0 / 6, -0.5,
                            -2, -4.0 / 3, -2.0 / 3, 0, 1.5, 5.0 / 6, 1.0 / 6, -0.5}, tolerance);
    }
  }
}

TEST_CASE("normalize with an affine equals the plain kernels plus the affine", "[norm][runtime]") {
  // Random shapes through both CPU layouts: contiguous rows (instance and batch norm of [N, C, H, W],
  // several summation chunks, the parallel path) and lanes ([N, C] and [N, C, L] over axis 0).
  // Reference: y = xhat * w + b per channel, dx = w * (plain dx with the same dy), dweight and
  // dbias from reductions of dy * xhat and dy over every axis but 1.
  struct Case {
    Shape shape;
    std::vector<int> axes;
  };
  const std::vector<Case> cases = {{{2, 8, 50, 50}, {2, 3}}, {{2, 8, 50, 50}, {0, 2, 3}}, {{300, 70}, {0}},
                                   {{5, 3, 7}, {0}},        {{3, 4, 5, 6}, {0, 2}},       {{2, 3, 5}, {0, 2}}};
  for (const Case& c : cases) {
    INFO("shape " << shape_str(c.shape) << " axes " << shape_str(Shape(c.axes.begin(), c.axes.end())));
    Tensor x = testing::random_tensor(c.shape, 21, -2.0, 3.0);
    Tensor dy = testing::random_tensor(c.shape, 22);
    const int64_t channels = c.shape[1];
    Tensor weight = testing::random_tensor({channels}, 23, -1.5, 1.5), bias = testing::random_tensor({channels}, 24);
    Shape broadcast(c.shape.size(), 1);
    broadcast[1] = channels;
    Tensor weight_b = weight.reshape(broadcast), bias_b = bias.reshape(broadcast);
    std::vector<int> other_axes = {0};
    for (int d = 2; d < int(c.shape.size()); ++d) other_axes.push_back(d);

    runtime::NormalizeResult plain = runtime::normalize_forward(x, c.axes, 1e-5);
    runtime::NormalizeResult affine = runtime::normalize_forward(x, c.axes, 1e-5, weight, bias);
    // Bit for bit: the fused write rounds the product before adding the bias, as the two ops do.
    check_close(affine.output, runtime::add(runtime::mul(plain.output, weight_b), bias_b).to_vector(), 0);
    check_close(affine.mean, plain.mean.to_vector(), 0);
    check_close(affine.rstd, plain.rstd.to_vector(), 0);

    Tensor plain_dx = runtime::normalize_backward(dy, x, plain.mean, plain.rstd, c.axes).input;
    Tensor weighted_dy = runtime::mul(dy, weight_b);
    runtime::NormalizeGradients gradients =
        runtime::normalize_backward(dy, x, affine.mean, affine.rstd, c.axes, weight, {true, true, true});
    check_close(gradients.input,
                runtime::normalize_backward(weighted_dy, x, plain.mean, plain.rstd, c.axes).input.to_vector(), 1e-10);
    check_close(runtime::mul(plain_dx, weight_b), gradients.input.to_vector(), 1e-10);
    check_close(gradients.weight, runtime::sum(runtime::mul(dy, plain.output), other_axes).to_vector(), 1e-10);
    check_close(gradients.bias, runtime::sum(dy, other_axes).to_vector(), 1e-10);

    // f32 follows f64.
    runtime::NormalizeResult affine32 =
        runtime::normalize_forward(x.to(DType::f32), c.axes, 1e-5, weight.to(DType::f32), bias.to(DType::f32));
    check_close(affine32.output, affine.output.to_vector(), 1e-4, 1e-5);
    Tensor plain32 = runtime::normalize_forward(x.to(DType::f32), c.axes, 1e-5).output;
    check_close(affine32.output,
                runtime::add(runtime::mul(plain32, weight_b.to(DType::f32)), bias_b.to(DType::f32)).to_vector(), 0);
    runtime::NormalizeGradients gradients32 =
        runtime::normalize_backward(dy.to(DType::f32), x.to(DType::f32), affine32.mean, affine32.rstd, c.axes,
                                    weight.to(DType::f32), {true, true, true});
    check_close(gradients32.input, gradients.input.to_vector(), 1e-4, 1e-5);
    check_close(gradients32.weight, gradients.weight.to_vector(), 1e-4, 1e-5);
    check_close(gradients32.bias, gradients.bias.to_vector(), 1e-4, 1e-5);
  }
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
  Tensor rstd = Tensor::from_values({1, 1}, {2, 1}), row_mean = Tensor::from_values({0, 0}, {1, 2});
  CHECK_THROWS_WITH(runtime::normalize_backward(x, x, row_mean, rstd, {0}),
                    Catch::Contains("normalize_backward: rstd [2, 1] should be [1, 2]"));
  CHECK_THROWS_WITH(runtime::normalize_backward(x, x, rstd, rstd, {0}),
                    Catch::Contains("normalize_backward: mean [2, 1] should be [1, 2]"));
  CHECK_THROWS_WITH(runtime::normalize_backward(Tensor::zeros({4}), x, rstd, rstd, {1}),
                    Catch::Contains("grad_output [4] and x [2, 2] differ"));
  CHECK_THROWS_AS(runtime::normalize_backward(x.to(DType::f64), x, rstd, rstd, {1}), Error);
  // The per-channel affine: [C] along a kept axis 1, x's dtype.
  Tensor image = Tensor::zeros({2, 3, 4}), statistics = Tensor::zeros({2, 3, 1});
  CHECK_THROWS_WITH(runtime::normalize_forward(image, {2}, 1e-5, Tensor::zeros({4})),
                    Catch::Contains("normalize_forward: weight [4] should be [3] for input [2, 3, 4]"));
  CHECK_THROWS_WITH(runtime::normalize_forward(image, {2}, 1e-5, Tensor(), Tensor::zeros({3, 1})),
                    Catch::Contains("normalize_forward: bias [3, 1] should be [3] for input [2, 3, 4]"));
  CHECK_THROWS_WITH(runtime::normalize_forward(image, {1, 2}, 1e-5, Tensor::zeros({3})),
                    Catch::Contains("normalize_forward: a per-channel weight needs axis 1 kept, but axes [1, 2]"));
  CHECK_THROWS_WITH(runtime::normalize_forward(Tensor::zeros({4}), {0}, 1e-5, Tensor(), Tensor::zeros({4})),
                    Catch::Contains("normalize_forward: a per-channel bias needs an input [N, C, ...], got [4]"));
  CHECK_THROWS_WITH(runtime::normalize_forward(image, {2}, 1e-5, Tensor::zeros({3}, DType::f64)),
                    Catch::Contains("normalize_forward: dtypes differ"));
  CHECK_THROWS_WITH(runtime::normalize_backward(image, image, statistics, statistics, {2}, Tensor::zeros({2})),
                    Catch::Contains("normalize_backward: weight [2] should be [3]"));
  CHECK_THROWS_WITH(runtime::normalize_backward(image, image, Tensor::zeros({2, 1, 1}), Tensor::zeros({2, 1, 1}),
                                                {1, 2}, Tensor(), {true, false, true}),
                    Catch::Contains("normalize_backward: a per-channel bias gradient needs axis 1 kept"));
}
