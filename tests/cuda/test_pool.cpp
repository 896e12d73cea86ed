// CUDA pooling against the CPU: average (both divisors), max with its indices, backward and
// select, adaptive average; forward and backward at odd sizes and with padding.
#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>

#include "runtime/pool.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("cuda avg and max pooling agree with the cpu", "[cuda][pool]") {
  struct Case {
    Shape input;
    int kernel, stride, padding;
  };
  const std::vector<Case> cases = {{{2, 3, 8, 8}, 2, 2, 0},
                                   {{1, 2, 9, 7}, 3, 2, 1},
                                   {{2, 1, 5, 5}, 3, 1, 1},
                                   {{1, 4, 33, 17}, 4, 3, 2},
                                   {{3, 2, 1, 1}, 1, 1, 0}};
  for (DType dtype : {DType::f32, DType::f64}) {
    const double tolerance = dtype == DType::f32 ? 1e-5 : 1e-12;
    for (const Case& c : cases) {
      const Tensor x = random_input(c.input, 91, dtype);
      for (bool include_pad : {true, false}) {
        CHECK_DEVICES_AGREE(
            concat("avg_pool2d ", x.describe(), " k", c.kernel, " s", c.stride, " p", c.padding),
            [&](const std::vector<Tensor>& in) {
              const Tensor y = runtime::avg_pool2d(in[0], c.kernel, c.stride, c.padding, include_pad);
              return std::vector<Tensor>{y, runtime::avg_pool2d_backward(y, in[0].shape(), c.kernel, c.stride,
                                                                         c.padding, include_pad)};
            },
            {x}, tolerance);
      }
      CHECK_DEVICES_AGREE(
          concat("max_pool2d ", x.describe(), " k", c.kernel, " s", c.stride, " p", c.padding),
          [&](const std::vector<Tensor>& in) {
            const runtime::MaxPoolResult pooled = runtime::max_pool2d(in[0], c.kernel, c.stride, c.padding);
            const Tensor grad_input = runtime::max_pool2d_backward(
                pooled.values, pooled.indices, in[0].shape(), c.kernel, c.stride, c.padding);
            return std::vector<Tensor>{pooled.values, pooled.indices, grad_input,
                                       runtime::max_pool2d_select(grad_input, pooled.indices)};
          },
          {x}, tolerance);
    }
  }
}

TEST_CASE("cuda adaptive average pooling agrees with the cpu", "[cuda][pool]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const auto& [input, out_h, out_w] : std::vector<std::tuple<Shape, int, int>>{
             {{2, 3, 8, 8}, 1, 1}, {{1, 2, 10, 7}, 3, 4}, {{1, 1, 5, 5}, 7, 6}, {{2, 2, 64, 64}, 1, 1}}) {
      const Tensor x = random_input(input, 92, dtype);
      CHECK_DEVICES_AGREE(
          concat("adaptive_avg_pool2d ", x.describe(), " -> ", out_h, "x", out_w),
          [&](const std::vector<Tensor>& in) {
            const Tensor y = runtime::adaptive_avg_pool2d(in[0], out_h, out_w);
            return std::vector<Tensor>{y, runtime::adaptive_avg_pool2d_backward(y, in[0].shape())};
          },
          {x}, dtype == DType::f32 ? 1e-5 : 1e-12);
    }
  }
}

// Max pooling on a plane full of ties (values 0..3) and with a NaN: the first maximum in row-major
// window order wins, a NaN beats everything, and the backward gather sums the outputs that share
// an argmax (stride 1 windows overlap) in the same order as the CPU.
TEST_CASE("cuda max pooling agrees with the cpu on ties and NaN", "[cuda][pool]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    std::vector<double> values = random_input({2, 3, 9, 8}, 93, DType::i32, 0, 4).to_vector();
    values[size_t((1 * 3 + 2) * 72 + 4 * 8 + 5)] = NAN;  // x[1, 2, 4, 5]
    const Tensor x = Tensor::from_values(values, {2, 3, 9, 8}, dtype);
    for (const auto& [kernel, stride, padding] :
         std::vector<std::tuple<int, int, int>>{{3, 1, 1}, {2, 2, 0}, {4, 3, 2}}) {
      CHECK_DEVICES_AGREE(
          concat("max_pool2d ties ", x.describe(), " k", kernel, " s", stride, " p", padding),
          [&](const std::vector<Tensor>& in) {
            const runtime::MaxPoolResult pooled = runtime::max_pool2d(in[0], kernel, stride, padding);
            // Any tensor of the output's shape serves as the output gradient.
            const Tensor grad_output = runtime::max_pool2d(in[1], kernel, stride, padding).values;
            const Tensor grad_input = runtime::max_pool2d_backward(grad_output, pooled.indices, in[0].shape(),
                                                                   kernel, stride, padding);
            return std::vector<Tensor>{pooled.values, pooled.indices, grad_input,
                                       runtime::max_pool2d_select(in[1], pooled.indices)};
          },
          {x, random_input({2, 3, 9, 8}, 94, dtype)}, dtype == DType::f32 ? 1e-5 : 1e-12);
    }
  }
}
