// CUDA upsampling against the CPU: nearest and bilinear (both corner rules), up and down, forward
// and the gather backward.
#include <catch2/catch.hpp>

#include "runtime/resize.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("cuda upsample and its backward agree with the cpu", "[cuda][resize]") {
  const std::vector<std::tuple<Shape, int, int>> cases = {{{2, 3, 4, 5}, 8, 10},
                                                          {{1, 2, 7, 3}, 16, 9},
                                                          {{1, 1, 9, 9}, 4, 5},
                                                          {{2, 1, 1, 1}, 3, 2},
                                                          {{1, 2, 32, 32}, 64, 64}};
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const auto& [input, out_h, out_w] : cases) {
      for (UpsampleMode mode : {UpsampleMode::nearest, UpsampleMode::bilinear}) {
        for (bool align_corners : {false, true}) {
          if (mode == UpsampleMode::nearest && align_corners) continue;
          const Tensor x = random_input(input, 101, dtype);
          CHECK_DEVICES_AGREE(
              concat("upsample ", upsample_mode_name(mode), " ", x.describe(), " -> ", out_h, "x", out_w,
                     " align_corners ", align_corners),
              [&](const std::vector<Tensor>& in) {
                const Tensor y = runtime::upsample(in[0], out_h, out_w, mode, align_corners);
                return std::vector<Tensor>{y,
                                           runtime::upsample_backward(y, in[0].shape(), mode, align_corners)};
              },
              {x}, dtype == DType::f32 ? 1e-5 : 1e-12);
        }
      }
    }
  }
}
