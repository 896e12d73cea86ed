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
