// matmul (every transpose flag pair) and linear: f64 finite-difference checks of the gradient of
// every input and of second-order gradients (on y * y, since the ops are bilinear).
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/matmul.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_input;
using testing::check_both_orders;

TEST_CASE("matmul gradients for every pair of transpose flags", "[matmul][autograd]") {
  // op(a) [2, 3] x op(b) [3, 4]; a transposed is stored [3, 2], b transposed is stored [4, 3].
  for (bool transpose_a : {false, true}) {
    for (bool transpose_b : {false, true}) {
      SECTION(std::string("transpose_a ") + (transpose_a ? "1" : "0") + ", transpose_b " + (transpose_b ? "1" : "0")) {
        Shape a_shape = transpose_a ? Shape{3, 2} : Shape{2, 3};
        Shape b_shape = transpose_b ? Shape{4, 3} : Shape{3, 4};
        VariableList inputs = {random_input(a_shape, 1), random_input(b_shape, 2)};
        check_both_orders([=](const VariableList& v) { return matmul(v[0], v[1], transpose_a, transpose_b); }, inputs);
      }
    }
  }
}

TEST_CASE("matmul of a matrix with itself (both gradients reach one input)", "[matmul][autograd]") {
  VariableList inputs = {random_input({3, 3}, 3)};
  check_both_orders([](const VariableList& v) { return matmul(v[0], v[0], true, false); }, inputs);
}

TEST_CASE("linear gradients with and without bias", "[matmul][autograd]") {
  SECTION("with bias") {
    VariableList inputs = {random_input({2, 3}, 4), random_input({4, 3}, 5), random_input({4}, 6)};
    check_both_orders([](const VariableList& v) { return linear(v[0], v[1], v[2]); }, inputs);
  }
  SECTION("without bias") {
    VariableList inputs = {random_input({2, 3}, 7), random_input({4, 3}, 8)};
    check_both_orders([](const VariableList& v) { return linear(v[0], v[1], Variable()); }, inputs);
  }
}
