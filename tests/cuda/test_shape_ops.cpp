// CUDA shape ops against the CPU: cat and split on every axis (with empty pieces), slices with
// steps and their adjoint, permutations of up to five dims in every dtype, one_hot.
#include <catch2/catch.hpp>

#include "runtime/shape_ops.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

namespace {
const DType kAllTypes[] = {DType::f32, DType::f64, DType::i32, DType::u8};
}

TEST_CASE("cuda cat and split agree with the cpu", "[cuda][shape]") {
  for (DType dtype : kAllTypes) {
    for (int axis = 0; axis < 3; ++axis) {
      Shape a = {2, 3, 5}, b = a, c = a;
      b[size_t(axis)] = 4;
      c[size_t(axis)] = 0;
      const std::vector<Tensor> pieces = {random_input(a, 61, dtype, 0, 100),
                                          random_input(b, 62, dtype, 0, 100),
                                          random_input(c, 63, dtype, 0, 100)};
      CHECK_DEVICES_AGREE(
          concat("cat axis ", axis, " ", dtype_name(dtype)),
          [&](const std::vector<Tensor>& in) { return std::vector<Tensor>{runtime::cat(in, axis)}; }, pieces,
          0.0);
      const Tensor whole = random_input({4, 9, 7}, 64, dtype, 0, 100);
      const std::vector<int64_t> sizes = axis == 0   ? std::vector<int64_t>{1, 0, 3}
                                         : axis == 1 ? std::vector<int64_t>{2, 7, 0}
                                                     : std::vector<int64_t>{3, 1, 3};
      CHECK_DEVICES_AGREE(
          concat("split axis ", axis, " ", dtype_name(dtype)),
          [&](const std::vector<Tensor>& in) { return runtime::split(in[0], sizes, axis); }, {whole}, 0.0);
    }
  }
}

TEST_CASE("cuda slice and slice_backward agree with the cpu", "[cuda][shape]") {
  struct Case {
    int axis;
    int64_t start, end, step;
  };
  const Case cases[] = {{0, 0, 5, 1}, {1, 1, 8, 2},   {2, -5, 100, 3},
                        {1, 4, 2, 1}, {2, 0, 11, 10}, {0, -1, 5, 1}};
  for (DType dtype : kAllTypes) {
    const Tensor x = random_input({5, 8, 11}, 65, dtype, 0, 100);
    for (const Case& c : cases) {
      CHECK_DEVICES_AGREE(
          concat("slice ", c.axis, " ", c.start, ":", c.end, ":", c.step, " ", dtype_name(dtype)),
          [&](const std::vector<Tensor>& in) {
            const Tensor part = runtime::slice(in[0], c.axis, c.start, c.end, c.step);
            return std::vector<Tensor>{
                part, runtime::slice_backward(part, in[0].shape(), c.axis, c.start, c.end, c.step)};
          },
          {x}, 0.0);
    }
  }
}

TEST_CASE("cuda permute and one_hot agree with the cpu", "[cuda][shape]") {
  const std::vector<std::pair<Shape, std::vector<int>>> cases = {
      {{}, {}},
      {{7}, {0}},
      {{3, 5}, {1, 0}},
      {{2, 3, 4, 5}, {0, 2, 3, 1}},
      {{2, 3, 4, 5}, {3, 1, 0, 2}},
      {{2, 1, 4, 1, 3}, {4, 3, 2, 1, 0}},
      {{64, 33}, {1, 0}},
      {{2, 0, 3}, {2, 0, 1}},
  };
  for (DType dtype : kAllTypes) {
    for (const auto& [shape, order] : cases) {
      const Tensor x = random_input(shape, 66, dtype, 0, 100);
      CHECK_DEVICES_AGREE(
          concat("permute ", x.describe()),
          [&](const std::vector<Tensor>& in) { return std::vector<Tensor>{runtime::permute(in[0], order)}; },
          {x}, 0.0);
    }
  }
  const Tensor labels = random_input({3, 4, 5}, 67, DType::i32, 0, 6);
  for (int axis = 0; axis <= 3; ++axis) {
    for (DType dtype : {DType::f32, DType::f64}) {
      CHECK_DEVICES_AGREE(
          concat("one_hot axis ", axis),
          [&](const std::vector<Tensor>& in) {
            return std::vector<Tensor>{runtime::one_hot(in[0], 6, axis, dtype)};
          },
          {labels}, 0.0);
    }
  }
}
