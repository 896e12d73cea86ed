#include <catch2/catch.hpp>

#include "runtime/elementwise.h"
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
