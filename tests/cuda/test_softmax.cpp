// CUDA softmax and log_softmax against the CPU along every axis, with lanes narrow and wide, long
// axes (split across blocks) and large magnitudes (the max shift at work).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

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

TEST_CASE("cuda softmax and log_softmax treat NaN and infinities like the cpu", "[cuda][softmax]") {
  // The online (max, sum) pair once rescaled a +inf maximum by exp(0) = 1, giving 0 and NaN in a
  // lane holding +inf where the CPU's sum exp(x - max) is NaN (exp(inf - inf)) and the lane all NaN.
  for (DType dtype : {DType::f32, DType::f64}) {
    for (int64_t length : {int64_t(6), int64_t(50000)}) {  // 50000: split across blocks on a GPU
      std::vector<double> v = random_input({5, length}, 43, DType::f64, -3, 3).to_vector();
      v[2] = INFINITY;                                      // row 0: +inf
      v[length + length - 2] = -INFINITY;                   // row 1: one masked element
      v[2 * length] = NAN;                                  // row 2: NaN first
      for (int64_t j = 0; j < length; ++j) v[3 * length + j] = -INFINITY;  // row 3: all masked
      const Tensor x = Tensor::from_values(v, {5, length}, dtype);
      for (int axis : {0, 1}) {
        CHECK_DEVICES_AGREE(
            concat("non-finite softmax ", x.describe(), " axis ", axis),
            [&](const std::vector<Tensor>& in) {
              return std::vector<Tensor>{runtime::softmax(in[0], axis), runtime::log_softmax(in[0], axis)};
            },
            {x}, dtype == DType::f32 ? 1e-5 : 1e-12);
      }
    }
  }
}
