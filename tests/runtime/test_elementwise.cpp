#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "runtime/elementwise.h"
#include "runtime/fill.h"
#include "runtime/reduce.h"

using namespace dforge;

TEST_CASE("binary add broadcasts a row over a matrix", "[runtime][elementwise]") {
  Tensor a = Tensor::from_values({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = Tensor::from_values({10, 20, 30}, {3});
  auto out = runtime::add(a, b).to_vector();
  CHECK(out == std::vector<double>{11, 22, 33, 14, 25, 36});
}

TEST_CASE("broadcasting to an empty shape and summing an empty axis do not divide by zero", "[runtime][elementwise]") {
  CHECK(runtime::broadcast_to(Tensor::from_values({5}, {1}), {0}).numel() == 0);
  CHECK(runtime::where(Tensor::zeros({0, 1}), Tensor::zeros({1}), Tensor::zeros({3})).shape() == Shape{0, 3});
  CHECK(runtime::sum(Tensor::zeros({3, 0}), {1}).to_vector() == std::vector<double>{0, 0, 0});
}

TEST_CASE("leaky_relu_backward: hand-checked, relu as slope 0", "[runtime][elementwise]") {
  // x > 0 passes the gradient, x <= 0 (0 included, as PyTorch) scales it by the slope.
  for (DType dtype : {DType::f32, DType::f64}) {
    Tensor x = Tensor::from_values({-2, 0, 0.5, 3}, {2, 2}, dtype);
    Tensor g = Tensor::from_values({10, 20, 30, 40}, {2, 2}, dtype);
    CHECK(runtime::leaky_relu_backward(g, x, 0.25).to_vector() == std::vector<double>{2.5, 5, 30, 40});
    CHECK(runtime::leaky_relu_backward(g, x, 0.0).to_vector() == std::vector<double>{0, 0, 30, 40});
  }
  // The parallel path: every element scaled by the slope, 4 * 0.5 each.
  Tensor x = Tensor::full({100000}, -0.5);
  Tensor g = Tensor::full({100000}, 4.0);
  CHECK(runtime::sum(runtime::leaky_relu_backward(g, x, 0.5)).item() == Approx(200000.0));
  CHECK_THROWS_WITH(runtime::leaky_relu_backward(Tensor::zeros({3}), Tensor::zeros({2}), 0.1),
                    Catch::Contains("leaky_relu_backward") && Catch::Contains("[3]") && Catch::Contains("[2]"));
}

TEST_CASE("cast and fill: floats truncate toward zero, saturate at the integer range, NaN gives 0",
          "[runtime][elementwise]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (DType from : {DType::f32, DType::f64}) {
    const Tensor x = Tensor::from_values({2.9, -2.9, -1.5, 300.7, 255.0, nan, -3e10, 3e10}, {8}, from);
    CHECK(runtime::cast(x, DType::u8).to_vector() == std::vector<double>{2, 0, 0, 255, 255, 0, 0, 255});
    CHECK(runtime::cast(x, DType::i32).to_vector() ==
          std::vector<double>{2, -2, -1, 300, 255, 0, -2147483648.0, 2147483647.0});
  }
  Tensor bytes = Tensor::empty({3}, DType::u8);
  runtime::fill(bytes, 300.0);
  CHECK(bytes.to_vector() == std::vector<double>{255, 255, 255});
  runtime::fill(bytes, -1.0);
  CHECK(bytes.to_vector() == std::vector<double>{0, 0, 0});
  // Integer narrowing wraps, as in C++ (and on the GPU).
  CHECK(runtime::cast(Tensor::from_values({256, 257, -1}, {3}, DType::i32), DType::u8).to_vector() ==
        std::vector<double>{0, 1, 255});
}
