// CUDA normalize_forward / normalize_backward against the CPU over the axis sets of batch,
// instance, layer and channel norms, including groups large enough to be split across blocks.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/norm.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

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
          [&](const std::vector<Tensor>& in) {
            runtime::NormalizeResult result = runtime::normalize_forward(in[0], c.axes, 1e-5);
            Tensor grad_input = runtime::normalize_backward(in[1], result.output, result.rstd, c.axes);
            return std::vector<Tensor>{result.output, result.mean, result.var, result.rstd, grad_input};
          },
          {x, grad_output}, tolerance);
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
          [&](const std::vector<Tensor>& in) {
            runtime::NormalizeResult result = runtime::normalize_forward(in[0], axes, 1e-5);
            Tensor grad_input = runtime::normalize_backward(in[1], result.output, result.rstd, axes);
            return std::vector<Tensor>{result.output, result.mean, result.var, result.rstd, grad_input};
          },
          {x, grad_output}, dtype == DType::f32 ? 1e-5 : 1e-11);
    }
  }
}
