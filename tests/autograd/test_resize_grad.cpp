// Differentiable upsampling: f64 finite-difference checks of first and second order gradients for
// every mode, up and down, and for the adjoint; plus a hand-checked gradient.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/reduce.h"
#include "autograd/resize.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_input;
using testing::check_both_orders;

TEST_CASE("upsample: first and second order gradients", "[autograd][resize]") {
  struct Case { const char* name; int out_h, out_w; UpsampleMode mode; bool align_corners; };
  std::vector<Case> cases = {
      {"nearest up", 7, 9, UpsampleMode::nearest, false},
      {"nearest down", 3, 4, UpsampleMode::nearest, false},
      {"bilinear half-pixel up", 8, 11, UpsampleMode::bilinear, false},
      {"bilinear align_corners up", 8, 11, UpsampleMode::bilinear, true},
      {"bilinear half-pixel down", 3, 4, UpsampleMode::bilinear, false},
      {"bilinear align_corners down", 3, 4, UpsampleMode::bilinear, true},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      testing::Function forward = [&](const VariableList& v) {
        return upsample(v[0], c.out_h, c.out_w, c.mode, c.align_corners);
      };
      check_both_orders(forward, {random_input({2, 2, 5, 6}, 51)});
      testing::Function adjoint = [&](const VariableList& v) {
        return upsample_backward(v[0], {2, 2, 5, 6}, c.mode, c.align_corners);
      };
      check_both_orders(adjoint, {random_input({2, 2, c.out_h, c.out_w}, 52)});
    }
  }
}

TEST_CASE("upsample gradient by hand", "[autograd][resize]") {
  // Nearest 2x2 -> 4x4 copies each input to a 2x2 block, so d sum(y) / dx = 4 everywhere.
  Variable x(Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2}, DType::f64), true);
  Variable dx = grad({sum(upsample(x, 4, 4, UpsampleMode::nearest))}, {x})[0];
  CHECK(dx.data().to_vector() == std::vector<double>{4, 4, 4, 4});
  // Bilinear with align_corners 2 -> 4 per dim: weights per input along a dim sum to
  // 1 + 2/3 + 1/3 = 2, so each input receives 2 x 2 = 4 as well.
  Variable dx_bilinear = grad({sum(upsample(x, 4, 4, UpsampleMode::bilinear, true))}, {x})[0];
  for (double value : dx_bilinear.data().to_vector()) CHECK(value == Approx(4.0));
}
