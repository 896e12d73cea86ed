// Upsampling kernels: forward and backward values checked by hand, the adjoint identity
// <A x, y> = <x, A^T y> for every mode, and the argument errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/resize.h"
#include "tests/support/compare.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using Catch::Matchers::Contains;
using testing::random_tensor;
using testing::check_values;
using testing::check_adjoint;

TEST_CASE("upsample nearest: 2x2 -> 4x4 repeats each pixel in a 2x2 block", "[runtime][resize]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    Tensor x = Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2}, dtype);
    check_values(runtime::upsample(x, 4, 4, UpsampleMode::nearest), {1, 1, 4, 4},
                 {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, 1e-12);
  }
}

TEST_CASE("upsample nearest: a non-integer factor uses floor(dst * in / out)", "[runtime][resize]") {
  // 3 -> 5: sources floor(0), floor(0.6), floor(1.2), floor(1.8), floor(2.4) = 0, 0, 1, 1, 2.
  Tensor x = Tensor::from_values({10, 20, 30}, {1, 1, 1, 3}, DType::f64);
  check_values(runtime::upsample(x, 1, 5, UpsampleMode::nearest), {1, 1, 1, 5}, {10, 10, 20, 20, 30}, 1e-12);
  // The adjoint sums the outputs that copied each input.
  Tensor grad = Tensor::from_values({1, 2, 3, 4, 5}, {1, 1, 1, 5}, DType::f64);
  check_values(runtime::upsample_backward(grad, {1, 1, 1, 3}, UpsampleMode::nearest), {1, 1, 1, 3}, {3, 7, 5}, 1e-12);
}

TEST_CASE("upsample bilinear: 2x2 -> 4x4 with and without align_corners", "[runtime][resize]") {
  // x = [[0, 1], [2, 3]] is affine (x(r, c) = 2r + c), so bilinear interpolation gives exactly
  // 2 s_i + s_j at the source coordinates s.
  Tensor x = Tensor::from_values({0, 1, 2, 3}, {1, 1, 2, 2}, DType::f64);
  SECTION("align_corners: s = dst * (2 - 1) / (4 - 1) = 0, 1/3, 2/3, 1") {
    std::vector<double> expected;
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) expected.push_back((2.0 * i + j) / 3.0);  // 2 (i/3) + j/3
    check_values(runtime::upsample(x, 4, 4, UpsampleMode::bilinear, true), {1, 1, 4, 4}, expected, 1e-12);
  }
  SECTION("half-pixel: s = max((dst + 0.5) / 2 - 0.5, 0) = 0, 0.25, 0.75, 1.25 -> clamped to 1") {
    const double s[4] = {0, 0.25, 0.75, 1};
    std::vector<double> expected;
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) expected.push_back(2 * s[i] + s[j]);
    check_values(runtime::upsample(x, 4, 4, UpsampleMode::bilinear, false), {1, 1, 4, 4}, expected, 1e-12);
  }
  SECTION("f32 agrees") {
    check_values(runtime::upsample(x.to(DType::f32), 4, 4, UpsampleMode::bilinear, false), {1, 1, 4, 4},
                 {0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3}, 1e-6);
  }
}

TEST_CASE("upsample_backward bilinear gathers the interpolation weights", "[runtime][resize]") {
  // 1x2 -> 1x4 with align_corners: outputs take (1, 0), (2/3, 1/3), (1/3, 2/3), (0, 1) of
  // (x0, x1). Gradient (1, 2, 3, 4): x0 gets 1 + 2 * 2/3 + 3 * 1/3 = 10/3, x1 gets
  // 2 * 1/3 + 3 * 2/3 + 4 = 20/3.
  Tensor grad = Tensor::from_values({1, 2, 3, 4}, {1, 1, 1, 4}, DType::f64);
  check_values(runtime::upsample_backward(grad, {1, 1, 1, 2}, UpsampleMode::bilinear, true), {1, 1, 1, 2},
               {10 / 3.0, 20 / 3.0}, 1e-12);
  // Without align_corners the sources are 0, 0.25, 0.75, 1.25 (x1 twice at the clamped end):
  // x0 gets 1 + 2 * 0.75 + 3 * 0.25 = 3.25, x1 gets 2 * 0.25 + 3 * 0.75 + 4 = 6.75.
  check_values(runtime::upsample_backward(grad, {1, 1, 1, 2}, UpsampleMode::bilinear, false), {1, 1, 1, 2},
               {3.25, 6.75}, 1e-12);
}

TEST_CASE("upsample_backward is the adjoint of upsample", "[runtime][resize]") {
  struct Case { const char* name; Shape input; int out_h, out_w; UpsampleMode mode; bool align_corners; };
  std::vector<Case> cases = {
      {"nearest up", {2, 3, 3, 5}, 7, 8, UpsampleMode::nearest, false},
      {"nearest down", {2, 3, 7, 5}, 3, 2, UpsampleMode::nearest, false},
      {"bilinear half-pixel", {2, 3, 3, 5}, 7, 11, UpsampleMode::bilinear, false},
      {"bilinear align_corners", {2, 3, 3, 5}, 7, 11, UpsampleMode::bilinear, true},
      {"bilinear down", {1, 2, 9, 6}, 4, 5, UpsampleMode::bilinear, false},
      {"to one pixel", {1, 2, 4, 3}, 1, 1, UpsampleMode::bilinear, true},
      {"large (parallel)", {1, 2, 64, 64}, 160, 160, UpsampleMode::bilinear, false},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      Tensor x = random_tensor(c.input, 5);
      Tensor y = random_tensor({c.input[0], c.input[1], c.out_h, c.out_w}, 6);
      check_adjoint(x, runtime::upsample(x, c.out_h, c.out_w, c.mode, c.align_corners), y,
                    runtime::upsample_backward(y, c.input, c.mode, c.align_corners));
    }
  }
}

TEST_CASE("upsample rejects bad arguments with clear messages", "[runtime][resize]") {
  Tensor x = Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2});
  CHECK_THROWS_WITH(runtime::upsample(x.reshape({2, 2}), 4, 4, UpsampleMode::nearest),
                    Contains("upsample: expects a 4-D NCHW tensor, got f32[2, 2]"));
  CHECK_THROWS_WITH(runtime::upsample(x, 0, 4, UpsampleMode::bilinear),
                    Contains("upsample: output size 0x4 must be positive"));
  CHECK_THROWS_WITH(runtime::upsample(x, 4, 4, UpsampleMode::nearest, true),
                    Contains("upsample: align_corners only applies to bilinear mode, not nearest"));
  CHECK_THROWS_WITH(runtime::upsample(x.to(DType::i32), 4, 4, UpsampleMode::nearest),
                    Contains("upsample: needs an f32 or f64 tensor"));
  CHECK_THROWS_WITH(runtime::upsample_backward(x, {1, 3, 2, 2}, UpsampleMode::nearest),
                    Contains("upsample_backward: gradient f32[1, 1, 2, 2] cpu does not fit the input shape "
                             "[1, 3, 2, 2]"));
}
