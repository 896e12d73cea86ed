// CUDA padding against the CPU: zeros, reflect and replicate, uneven paddings, 3-d to 5-d inputs,
// forward and the gather backward.
#include <catch2/catch.hpp>

#include "runtime/pad.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("cuda pad2d and its backward agree with the cpu", "[cuda][pad]") {
  const std::vector<std::pair<Shape, std::array<int, 4>>> cases = {{{2, 3, 5, 6}, {1, 1, 1, 1}},
                                                                   {{1, 2, 7, 4}, {3, 0, 2, 1}},
                                                                   {{3, 4, 4}, {2, 3, 3, 2}},
                                                                   {{1, 1, 2, 3, 9}, {0, 8, 1, 0}},
                                                                   {{1, 1, 64, 64}, {3, 3, 3, 3}}};
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const auto& [input, padding] : cases) {
      for (PadMode mode : {PadMode::zeros, PadMode::reflect, PadMode::replicate}) {
        const auto [left, right, top, bottom] = padding;
        if (mode == PadMode::reflect &&
            (std::max(top, bottom) >= input[input.size() - 2] || std::max(left, right) >= input.back())) {
          continue;
        }
        const Tensor x = random_input(input, 111, dtype);
        CHECK_DEVICES_AGREE(
            concat("pad2d ", pad_mode_name(mode), " ", x.describe()),
            [&](const std::vector<Tensor>& in) {
              const Tensor y = runtime::pad2d(in[0], left, right, top, bottom, mode);
              return std::vector<Tensor>{y, runtime::pad2d_backward(y, left, right, top, bottom, mode)};
            },
            {x}, dtype == DType::f32 ? 1e-5 : 1e-12);
      }
    }
  }
}

// Zero padding of empty planes: the output is all zeros (no input element is read), and the
// backward has nothing to write.
TEST_CASE("cuda pad2d agrees with the cpu on empty planes", "[cuda][pad]") {
  for (const Shape& input : std::vector<Shape>{{2, 3, 0, 4}, {2, 3, 5, 0}, {1, 2, 0, 0}, {0, 3, 4, 4}}) {
    const Tensor x = random_input(input, 112, DType::f32);
    CHECK_DEVICES_AGREE(
        concat("pad2d zeros ", x.describe()),
        [&](const std::vector<Tensor>& in) {
          const Tensor y = runtime::pad2d(in[0], 2, 1, 1, 3, PadMode::zeros);
          return std::vector<Tensor>{y, runtime::pad2d_backward(y, 2, 1, 1, 3, PadMode::zeros)};
        },
        {x}, 1e-5);
  }
}
