// Padding kernels: forward and backward values checked by hand for every mode, the adjoint
// identity <P x, y> = <x, P^T y>, and the argument errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/pad.h"
#include "tests/support/compare.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using Catch::Matchers::Contains;
using testing::random_tensor;
using testing::check_values;
using testing::check_adjoint;

TEST_CASE("pad2d: the row [1, 2, 3] padded by 2 on both sides in every mode", "[runtime][pad]") {
  // Output position o reads input o - 2: reflect mirrors about the edge sample without repeating
  // it (-2 -> 2, -1 -> 1, 3 -> 1, 4 -> 0), replicate clamps, zeros leaves 0.
  for (DType dtype : {DType::f32, DType::f64}) {
    Tensor row = Tensor::from_values({1, 2, 3}, {1, 1, 1, 3}, dtype);
    check_values(runtime::pad2d(row, 2, 2, 0, 0, PadMode::zeros), {1, 1, 1, 7}, {0, 0, 1, 2, 3, 0, 0}, 0);
    check_values(runtime::pad2d(row, 2, 2, 0, 0, PadMode::reflect), {1, 1, 1, 7}, {3, 2, 1, 2, 3, 2, 1}, 0);
    check_values(runtime::pad2d(row, 2, 2, 0, 0, PadMode::replicate), {1, 1, 1, 7}, {1, 1, 1, 2, 3, 3, 3}, 0);
  }
}

TEST_CASE("pad2d: rows and columns together, on 2-D, 3-D and 4-D tensors", "[runtime][pad]") {
  Tensor x = Tensor::from_values({1, 2, 3, 4, 5, 6}, {2, 3}, DType::f64);
  // Reflect one row on top: row -1 mirrors row 1.
  check_values(runtime::pad2d(x, 0, 0, 1, 0, PadMode::reflect), {3, 3}, {4, 5, 6, 1, 2, 3, 4, 5, 6}, 0);
  // Replicate one on the left and one at the bottom: column -1 copies column 0, row 2 copies row 1.
  check_values(runtime::pad2d(x.reshape({1, 2, 3}), 1, 0, 0, 1, PadMode::replicate), {1, 3, 4},
               {1, 1, 2, 3, 4, 4, 5, 6, 4, 4, 5, 6}, 0);
  // Zeros all round, two planes.
  Tensor planes = Tensor::from_values({1, 2, 3, 4}, {1, 2, 1, 2}, DType::f64);
  check_values(runtime::pad2d(planes, 1, 1, 1, 1), {1, 2, 3, 4},
               {0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0}, 0);
}

TEST_CASE("pad2d_backward folds the gradient back onto the elements it copied", "[runtime][pad]") {
  // Gradient g = 1..7 of the padded row; each input sums the outputs that read it:
  //   zeros:     the centre (3, 4, 5);
  //   reflect:   outputs read inputs 2 1 0 1 2 1 0 -> x0 = 3 + 7, x1 = 2 + 4 + 6, x2 = 1 + 5;
  //   replicate: outputs read inputs 0 0 0 1 2 2 2 -> x0 = 1 + 2 + 3, x1 = 4, x2 = 5 + 6 + 7.
  Tensor grad = Tensor::from_values({1, 2, 3, 4, 5, 6, 7}, {1, 1, 1, 7}, DType::f64);
  check_values(runtime::pad2d_backward(grad, 2, 2, 0, 0, PadMode::zeros), {1, 1, 1, 3}, {3, 4, 5}, 0);
  check_values(runtime::pad2d_backward(grad, 2, 2, 0, 0, PadMode::reflect), {1, 1, 1, 3}, {10, 12, 6}, 0);
  check_values(runtime::pad2d_backward(grad, 2, 2, 0, 0, PadMode::replicate), {1, 1, 1, 3}, {6, 4, 18}, 0);
}

TEST_CASE("pad2d_backward is the adjoint of pad2d", "[runtime][pad]") {
  for (PadMode mode : {PadMode::zeros, PadMode::reflect, PadMode::replicate}) {
    SECTION(pad_mode_name(mode)) {
      for (Shape shape : {Shape{2, 3, 5, 4}, Shape{1, 2, 200, 150}}) {
        Tensor x = random_tensor(shape, 7);
        Tensor padded = runtime::pad2d(x, 3, 1, 2, 4, mode);
        Tensor y = random_tensor(padded.shape(), 8);
        check_adjoint(x, padded, y, runtime::pad2d_backward(y, 3, 1, 2, 4, mode));
      }
    }
  }
}

TEST_CASE("pad2d rejects bad arguments with clear messages", "[runtime][pad]") {
  Tensor x = Tensor::from_values({1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 1, 3, 3});
  CHECK_THROWS_WITH(runtime::pad2d(x, -1, 0, 0, 0),
                    Contains("pad2d: width padding (-1, 0) is negative; cropping is not supported"));
  CHECK_THROWS_WITH(runtime::pad2d(x, 0, 0, 1, -2, PadMode::replicate),
                    Contains("pad2d: height padding (1, -2) is negative"));
  CHECK_THROWS_WITH(runtime::pad2d(x, 3, 0, 0, 0, PadMode::reflect),
                    Contains("pad2d: reflect padding (3, 0) of width must be less than its size 3 "
                             "(input [1, 1, 3, 3])"));
  CHECK_THROWS_WITH(runtime::pad2d(x, 0, 0, 1, 5, PadMode::reflect),
                    Contains("pad2d: reflect padding (1, 5) of height must be less than its size 3"));
  CHECK_THROWS_WITH(runtime::pad2d(x.reshape({9}), 1, 1, 0, 0),
                    Contains("pad2d: needs at least 2 dims (H, W), got f32[9]"));
  CHECK_THROWS_WITH(runtime::pad2d(x.to(DType::i32), 1, 1, 0, 0), Contains("pad2d: needs an f32 or f64 tensor"));
  CHECK_THROWS_WITH(runtime::pad2d(Tensor::empty({1, 0, 3}), 1, 1, 0, 0, PadMode::replicate),
                    Contains("pad2d: replicate padding needs a non-empty height"));
  CHECK_THROWS_WITH(runtime::pad2d_backward(x, 2, 2, 0, 0),
                    Contains("pad2d_backward: gradient f32[1, 1, 3, 3] cpu is smaller than the paddings"));
  CHECK_THROWS_WITH(runtime::pad2d_backward(x, 1, 1, 0, 0, PadMode::reflect),
                    Contains("pad2d_backward: reflect padding (1, 1) of width must be less than its size 1"));
}
