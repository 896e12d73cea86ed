// CUDA normalize_forward / normalize_backward against the CPU over the axis sets of batch,
// instance, layer and channel norms, including groups large enough to be split across blocks, with
// and without the per-channel affine (and its weight and bias gradients).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "runtime/norm.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

namespace {

// Forward outputs, statistics and all gradients of one normalisation; in = {x, grad_output} plus,
// when `affine`, {weight, bias}.
std::vector<Tensor> normalize_both_ways(const std::vector<Tensor>& in, const std::vector<int>& axes, bool affine) {
  const Tensor weight = affine ? in[2] : Tensor(), bias = affine ? in[3] : Tensor();
  runtime::NormalizeResult result = runtime::normalize_forward(in[0], axes, 1e-5, weight, bias);
  runtime::NormalizeGradients gradients =
      runtime::normalize_backward(in[1], in[0], result.mean, result.rstd, axes, weight, {true, affine, affine});
  std::vector<Tensor> outputs = {result.output, result.mean, result.var, result.rstd, gradients.input};
  if (affine) {
    outputs.push_back(gradients.weight);
    outputs.push_back(gradients.bias);
  }
  return outputs;
}

}  // namespace

TEST_CASE("cuda normalize forward and backward agree with the cpu", "[cuda][norm]") {
  struct Case {
    Shape shape;
    std::vector<int> axes;
  };
  const std::vector<Case> cases = {
      {{2, 3, 5, 7}, {0, 2, 3}},    {{2, 3, 5, 7}, {2, 3}},
      {{2, 3, 5, 7}, {1, 2, 3}},    {{2, 3, 5, 7}, {1}},
      {{8, 16, 64, 64}, {0, 2, 3}}, {{4, 3, 128, 128}, {2, 3}},
      {{2, 64, 33, 17}, {1}},       {{300, 7}, {0}},
      {{5, 1, 1}, {1, 2}},          {{6}, {0}},
      {{2, 3, 4, 5, 6}, {0, 2, 4}}, {{0, 3, 4, 4}, {2, 3}},
  };
  for (DType dtype : {DType::f32, DType::f64}) {
    const double tolerance = dtype == DType::f32 ? 1e-5 : 1e-11;
    for (const Case& c : cases) {
      // An offset mean checks the statistics pass for cancellation.
      const Tensor x = random_input(c.shape, 31, dtype, 9, 11);
      const Tensor grad_output = random_input(c.shape, 32, dtype);
      CHECK_DEVICES_AGREE(
          concat("normalize ", x.describe(), " axes ", shape_str(Shape(c.axes.begin(), c.axes.end()))),
          [&](const std::vector<Tensor>& in) { return normalize_both_ways(in, c.axes, false); }, {x, grad_output},
          tolerance);
    }
  }
}

// The affine needs axis 1 kept: batch norm (2-d, 3-d, 4-d, 5-d inputs), instance norm, and axis
// sets that leave kept axes after axis 1 (groups of one channel that are not neighbours). A zero in
// the weight checks that nothing divides by it; the large cases split groups across blocks, and
// [0, 3, 4, 4] has channels but no groups (zero weight and bias gradients).
TEST_CASE("cuda normalize with a per-channel affine agrees with the cpu", "[cuda][norm]") {
  struct Case {
    Shape shape;
    std::vector<int> axes;
  };
  const std::vector<Case> cases = {
      {{2, 3, 5, 7}, {0, 2, 3}},     {{2, 3, 5, 7}, {2, 3}},       {{8, 16, 64, 64}, {0, 2, 3}},
      {{4, 3, 128, 128}, {2, 3}},    {{300, 7}, {0}},              {{6, 5, 9}, {0, 2}},
      {{2, 3, 4, 5, 6}, {0, 2, 4}},  {{2, 3, 4, 5}, {2}},          {{1, 64, 33, 17}, {0, 2, 3}},
      {{0, 3, 4, 4}, {2, 3}},
  };
  for (DType dtype : {DType::f32, DType::f64}) {
    const double tolerance = dtype == DType::f32 ? 1e-5 : 1e-11;
    for (const Case& c : cases) {
      const int64_t channels = c.shape[1];
      const Tensor x = random_input(c.shape, 35, dtype, 9, 11);
      const Tensor grad_output = random_input(c.shape, 36, dtype);
      std::vector<double> weight_values = random_input({channels}, 37, dtype, -2, 2).to_vector();
      weight_values[1] = 0;
      const Tensor weight = Tensor::from_values(weight_values, {channels}, dtype);
      const Tensor bias = random_input({channels}, 38, dtype);
      const std::string name =
          concat("normalize affine ", x.describe(), " axes ", shape_str(Shape(c.axes.begin(), c.axes.end())));
      CHECK_DEVICES_AGREE(
          name,
          [&](const std::vector<Tensor>& in) {
            std::vector<Tensor> outputs = normalize_both_ways(in, c.axes, true);
            return std::vector<Tensor>(outputs.begin(), outputs.begin() + 5);
          },
          {x, grad_output, weight, bias}, tolerance);
      // The weight and bias gradients are sums of numel / C terms of either sign, so a channel's
      // result may be near 0 while the rounding of its sum grows with the square root of the count.
      const double per_channel_count = channels > 0 ? double(x.numel() / channels) : 0.0;
      CHECK_DEVICES_AGREE(
          name + " weight and bias gradients",
          [&](const std::vector<Tensor>& in) {
            std::vector<Tensor> outputs = normalize_both_ways(in, c.axes, true);
            return std::vector<Tensor>(outputs.begin() + 5, outputs.end());
          },
          {x, grad_output, weight, bias}, tolerance, tolerance * std::max(1.0, std::sqrt(per_channel_count)));
    }
  }
}

// A NaN or an infinity in a group makes its var and rstd NaN on the CPU (two-pass statistics); the
// GPU's shifted moments give spread = inf - inf = NaN there, which must not be clamped to a var of
// 0 and a finite rstd. The inf is never a group's first element (the GPU's shift), and constant
// groups check the clamp of a spread that rounds below zero.
TEST_CASE("cuda normalize agrees with the cpu on NaN, inf and constant groups", "[cuda][norm]") {
  const std::vector<std::vector<int>> axis_sets = {{0, 2, 3}, {2, 3}, {1, 2, 3}, {1}};
  for (DType dtype : {DType::f32, DType::f64}) {
    std::vector<double> values = random_input({2, 3, 5, 7}, 33, dtype).to_vector();
    values[size_t(((0 * 3 + 0) * 5 + 1) * 7 + 2)] = NAN;       // x[0, 0, 1, 2]
    values[size_t(((1 * 3 + 2) * 5 + 3) * 7 + 4)] = INFINITY;  // x[1, 2, 3, 4]
    for (size_t i = size_t(((1 * 3 + 1) * 5) * 7); i < size_t(((1 * 3 + 2) * 5) * 7); ++i) values[i] = 0.1;  // x[1, 1]
    const Tensor x = Tensor::from_values(values, {2, 3, 5, 7}, dtype);
    const Tensor grad_output = random_input({2, 3, 5, 7}, 34, dtype);
    for (const std::vector<int>& axes : axis_sets) {
      CHECK_DEVICES_AGREE(
          concat("normalize special values ", x.describe(), " axes ", shape_str(Shape(axes.begin(), axes.end()))),
          [&](const std::vector<Tensor>& in) { return normalize_both_ways(in, axes, false); }, {x, grad_output},
          dtype == DType::f32 ? 1e-5 : 1e-11);
    }
  }
}
