// CUDA softmax and log_softmax against the CPU along every axis, with lanes narrow and wide, long
// axes (split across blocks) and large magnitudes (the max shift at work).
#include <catch2/catch.hpp>

#include "runtime/softmax.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("cuda softmax and log_softmax agree with the cpu", "[cuda][softmax]") {
  const std::vector<Shape> shapes = {{1},           {10},        {3, 7},     {2, 5, 9},
                                     {4, 19, 8, 8}, {2, 100000}, {70000, 3}, {1, 3, 1}};
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const Shape& shape : shapes) {
      for (double scale : {1.0, 80.0}) {
        const Tensor x = random_input(shape, 41, dtype, -scale, scale);
        for (int axis = 0; axis < int(shape.size()); ++axis) {
          CHECK_DEVICES_AGREE(
              concat("softmax ", x.describe(), " axis ", axis, " scale ", scale),
              [&](const std::vector<Tensor>& in) {
                return std::vector<Tensor>{runtime::softmax(in[0], axis), runtime::log_softmax(in[0], axis)};
              },
              {x}, dtype == DType::f32 ? 1e-5 : 1e-12);
        }
      }
    }
  }
}
