// Differentiable padding: f64 finite-difference checks of first and second order gradients for
// every mode and for the adjoint; plus a hand-checked gradient.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/pad.h"
#include "autograd/reduce.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_input;
using testing::check_both_orders;

TEST_CASE("pad2d: first and second order gradients", "[autograd][pad]") {
  for (PadMode mode : {PadMode::zeros, PadMode::reflect, PadMode::replicate}) {
    SECTION(pad_mode_name(mode)) {
      // Paddings (left 1, right 2, top 3, bottom 1) of a 2x2x4x5 input -> 2x2x8x8.
      testing::Function forward = [&](const VariableList& v) { return pad2d(v[0], 1, 2, 3, 1, mode); };
      check_both_orders(forward, {random_input({2, 2, 4, 5}, 61)});
      testing::Function adjoint = [&](const VariableList& v) { return pad2d_backward(v[0], 1, 2, 3, 1, mode); };
      check_both_orders(adjoint, {random_input({2, 2, 8, 8}, 62)});
    }
  }
}

TEST_CASE("pad2d gradient by hand", "[autograd][pad]") {
  // Reflect-padding the row [1, 2, 3] by 2 on both sides reads inputs 2 1 0 1 2 1 0, so
  // d sum(y) / dx counts the reads: 2, 3, 2. Replicate reads 0 0 0 1 2 2 2: 3, 1, 3.
  Variable x(Tensor::from_values({1, 2, 3}, {1, 3}, DType::f64), true);
  CHECK(grad({sum(pad2d(x, 2, 2, 0, 0, PadMode::reflect))}, {x})[0].data().to_vector() ==
        std::vector<double>{2, 3, 2});
  CHECK(grad({sum(pad2d(x, 2, 2, 0, 0, PadMode::replicate))}, {x})[0].data().to_vector() ==
        std::vector<double>{3, 1, 3});
  CHECK(grad({sum(pad2d(x, 2, 2, 0, 0, PadMode::zeros))}, {x})[0].data().to_vector() == std::vector<double>{1, 1, 1});
}
