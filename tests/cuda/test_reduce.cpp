// CUDA reductions against the CPU: every op over many axis sets, groups small and large (large
// ones are split across blocks), lanes narrow and wide, ties for argmax.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/fill.h"
#include "runtime/reduce.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

namespace {

struct ReduceCase {
  Shape shape;
  std::vector<int> axes;
};

const std::vector<ReduceCase> kCases = {
    {{5}, {}},
    {{5}, {0}},
    {{3, 4, 5}, {}},
    {{3, 4, 5}, {0}},
    {{3, 4, 5}, {1}},
    {{3, 4, 5}, {2}},
    {{3, 4, 5}, {0, 2}},
    {{3, 4, 5}, {1, 2}},
    {{2, 3, 4, 5}, {0, 2, 3}},
    {{2, 3, 4, 5}, {1, 3}},
    {{1, 1000}, {1}},
    {{100003}, {}},
    {{64, 3, 17}, {0}},
    {{2, 130, 7}, {1}},
    {{8, 16, 64, 64}, {0, 2, 3}},
    {{4096, 3}, {0}},
    {{3, 1, 5}, {1}},
    {{0, 4}, {1}},
    {{3, 0}, {1}},
    {{2, 2, 2, 2, 2, 2, 2}, {0, 2, 4, 6}},
};

}  // namespace

TEST_CASE("cuda sum, mean, max, min and var agree with the cpu", "[cuda][reduce]") {
  using runtime::ReduceOp;
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const ReduceCase& c : kCases) {
      const Tensor x = random_input(c.shape, 21, dtype, -2, 3);
      int64_t count = 1;
      std::vector<int> axes = c.axes;
      runtime::reduced_shape(c.shape, axes, false, "test");
      for (int axis : axes) count *= c.shape[size_t(axis)];
      for (ReduceOp op : {ReduceOp::sum, ReduceOp::mean, ReduceOp::max, ReduceOp::min, ReduceOp::var}) {
        if (count == 0 && op != ReduceOp::sum) continue;  // only sum is defined on empty groups
        for (bool keepdim : {false, true}) {
          for (int correction : {0, 1}) {
            if (correction == 1 && op != ReduceOp::var) continue;
            CHECK_DEVICES_AGREE(
                concat("reduce ", int(op), " ", x.describe(), " axes ",
                       shape_str(Shape(c.axes.begin(), c.axes.end())), " keepdim ", keepdim, " correction ",
                       correction),
                [&](const std::vector<Tensor>& in) {
                  return std::vector<Tensor>{runtime::reduce(op, in[0], c.axes, keepdim, correction)};
                },
                {x}, dtype == DType::f32 ? 1e-5 : 1e-12);
          }
        }
      }
    }
  }
}

TEST_CASE("cuda max and min propagate NaN like the cpu", "[cuda][reduce]") {
  Tensor x = random_input({4, 300}, 22);
  x.data<float>()[5] = NAN;
  x.data<float>()[3 * 300 + 299] = NAN;
  for (auto op : {runtime::ReduceOp::max, runtime::ReduceOp::min}) {
    CHECK_DEVICES_AGREE(
        "nan",
        [&](const std::vector<Tensor>& in) {
          return std::vector<Tensor>{runtime::reduce(op, in[0], {1}, false),
                                     runtime::reduce(op, in[0], {}, false)};
        },
        {x}, 0.0);
  }
}

TEST_CASE("cuda sum, mean and var propagate NaN and infinities like the cpu", "[cuda][reduce]") {
  // var once clamped its result with `squares > 0 ? squares : 0`, which turned the NaN of a group
  // holding a NaN or an infinity (inf - inf) into 0; the CPU gives NaN.
  for (DType dtype : {DType::f32, DType::f64}) {
    // Rows of 5000: split across blocks on a GPU, so the non-finite values meet the partials too.
    std::vector<double> v = random_input({4, 5000}, 25, DType::f64).to_vector();
    v[5] = NAN;                    // row 0: a NaN
    v[5000 + 4321] = INFINITY;     // row 1: +inf inside the group, in a late split
    v[2 * 5000] = -INFINITY;       // row 2: -inf as the group's first element (the shift of var)
    const Tensor x = Tensor::from_values(v, {4, 5000}, dtype);
    for (auto op : {runtime::ReduceOp::sum, runtime::ReduceOp::mean, runtime::ReduceOp::var}) {
      CHECK_DEVICES_AGREE(
          concat("non-finite reduce ", int(op), " ", x.describe()),
          [&](const std::vector<Tensor>& in) {
            return std::vector<Tensor>{runtime::reduce(op, in[0], {1}, false, 1),
                                       runtime::reduce(op, in[0], {0}, false, 1),
                                       runtime::reduce(op, in[0], {}, false, 1)};
          },
          {x}, dtype == DType::f32 ? 1e-5 : 1e-12);
    }
  }
}

TEST_CASE("cuda argmax agrees with the cpu, first index on ties", "[cuda][reduce]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const Shape& shape :
         std::vector<Shape>{{7}, {3, 4, 5}, {2, 1000}, {5000, 3}, {2, 3, 4, 5}, {1, 1}}) {
      // Values from a handful of integers: many ties.
      const Tensor x =
          runtime::cast(runtime::cast(random_input(shape, 23, DType::f64, -3, 3), DType::i32), dtype);
      for (int axis = 0; axis < int(shape.size()); ++axis) {
        CHECK_DEVICES_AGREE(
            concat("argmax ", x.describe(), " axis ", axis),
            [&](const std::vector<Tensor>& in) { return std::vector<Tensor>{runtime::argmax(in[0], axis)}; },
            {x}, 0.0);
      }
    }
  }
  Tensor with_nan = random_input({3, 6}, 24);
  with_nan.data<float>()[0] = NAN;  // the CPU keeps a leading NaN and skips any other
  with_nan.data<float>()[6 + 2] = NAN;
  CHECK_DEVICES_AGREE(
      "argmax nan",
      [](const std::vector<Tensor>& in) { return std::vector<Tensor>{runtime::argmax(in[0], 1)}; },
      {with_nan}, 0.0);
}
