// Shape ops on small ramps whose expected values are read off by hand, and their error messages.
#include <catch2/catch.hpp>

#include <numeric>

#include "runtime/error.h"
#include "runtime/shape_ops.h"

using namespace dforge;
using Catch::Matchers::Contains;

namespace {
// 0, 1, 2, ... laid out in `shape`.
Tensor ramp(const Shape& shape, DType dtype = DType::f32, double first = 0) {
  std::vector<double> values(size_t(numel_of(shape)));
  std::iota(values.begin(), values.end(), first);
  return Tensor::from_values(values, shape, dtype);
}
using Values = std::vector<double>;
}  // namespace

TEST_CASE("cat joins ramps along the first and the last axis", "[runtime][shape]") {
  Tensor a = ramp({2, 3});             // [[0, 1, 2], [3, 4, 5]]
  Tensor b = ramp({1, 3}, DType::f32, 6);  // [[6, 7, 8]]
  Tensor rows = runtime::cat({a, b}, 0);
  CHECK(rows.shape() == Shape{3, 3});
  CHECK(rows.to_vector() == Values{0, 1, 2, 3, 4, 5, 6, 7, 8});  // rows stacked: memory order kept

  Tensor c = ramp({2, 1}, DType::f32, 10);  // [[10], [11]]
  Tensor columns = runtime::cat({a, c, a}, -1);
  CHECK(columns.shape() == Shape{2, 7});
  // each row: a's row, then c's element, then a's row again
  CHECK(columns.to_vector() == Values{0, 1, 2, 10, 0, 1, 2, 3, 4, 5, 11, 3, 4, 5});
}

TEST_CASE("cat copies any dtype and skips empty pieces", "[runtime][shape]") {
  Tensor a = ramp({2, 2}, DType::i32);      // [[0, 1], [2, 3]]
  Tensor empty = ramp({2, 0}, DType::i32);
  Tensor b = ramp({2, 1}, DType::i32, 7);   // [[7], [8]]
  Tensor out = runtime::cat({a, empty, b}, 1);
  CHECK(out.dtype() == DType::i32);
  CHECK(out.to_vector() == Values{0, 1, 7, 2, 3, 8});
}

TEST_CASE("split cuts a ramp into pieces and undoes cat", "[runtime][shape]") {
  Tensor x = ramp({2, 6}, DType::f64);  // [[0..5], [6..11]]
  std::vector<Tensor> pieces = runtime::split(x, {1, 2, 3}, 1);
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[0].shape() == Shape{2, 1});
  CHECK(pieces[0].to_vector() == Values{0, 6});
  CHECK(pieces[1].to_vector() == Values{1, 2, 7, 8});
  CHECK(pieces[2].to_vector() == Values{3, 4, 5, 9, 10, 11});
  CHECK(runtime::cat(pieces, 1).to_vector() == x.to_vector());

  std::vector<Tensor> halves = runtime::split(x, {1, 1}, 0);
  CHECK(halves[1].to_vector() == Values{6, 7, 8, 9, 10, 11});
}

TEST_CASE("slice takes Python ranges with steps", "[runtime][shape]") {
  Tensor x = ramp({3, 4});  // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
  Tensor odd_columns = runtime::slice(x, 1, 1, 4, 2);  // columns 1 and 3
  CHECK(odd_columns.shape() == Shape{3, 2});
  CHECK(odd_columns.to_vector() == Values{1, 3, 5, 7, 9, 11});

  Tensor last_rows = runtime::slice(x, 0, -2, 100);  // rows 1, 2: -2 counts from the end, 100 clamps
  CHECK(last_rows.to_vector() == Values{4, 5, 6, 7, 8, 9, 10, 11});

  Tensor middle = runtime::slice(x.reshape({3, 2, 2}), 1, 1, 2);  // x[:, 1:2, :]
  CHECK(middle.to_vector() == Values{2, 3, 6, 7, 10, 11});

  Tensor none = runtime::slice(x, 0, 2, 1);  // end before start: empty
  CHECK(none.shape() == Shape{0, 4});
}

TEST_CASE("slice_backward scatters into zeros", "[runtime][shape]") {
  Tensor gradient = ramp({3, 2}, DType::f64, 1);  // [[1, 2], [3, 4], [5, 6]]
  Tensor out = runtime::slice_backward(gradient, {3, 4}, 1, 1, 4, 2);  // back into columns 1 and 3
  CHECK(out.to_vector() == Values{0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6});

  Tensor empty_slice = runtime::slice_backward(ramp({0, 2}, DType::f64), {2, 2}, 0, 1, 1);
  CHECK(empty_slice.to_vector() == Values{0, 0, 0, 0});
}

TEST_CASE("permute and transpose reorder a ramp", "[runtime][shape]") {
  Tensor x = ramp({2, 3, 4});  // x[a, b, c] = 12a + 4b + c
  Tensor out = runtime::permute(x, {2, 0, 1});  // out[c, a, b] = x[a, b, c]
  CHECK(out.shape() == Shape{4, 2, 3});
  CHECK(out.to_vector() == Values{0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21,
                                  2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23});
  CHECK(runtime::permute(x, {0, 1, 2}).to_vector() == x.to_vector());

  Tensor matrix = ramp({2, 3}, DType::f64);  // [[0, 1, 2], [3, 4, 5]]
  CHECK(runtime::transpose(matrix, 0, 1).to_vector() == Values{0, 3, 1, 4, 2, 5});
  CHECK(runtime::transpose(matrix, -1, 0).shape() == Shape{3, 2});
}

TEST_CASE("one_hot puts the class axis where asked", "[runtime][shape]") {
  Tensor labels = Tensor::from_values({2, 0, 1}, {3}, DType::i32);
  Tensor rows = runtime::one_hot(labels, 3, 1, DType::f32);  // row i has a 1 in column labels[i]
  CHECK(rows.shape() == Shape{3, 3});
  CHECK(rows.to_vector() == Values{0, 0, 1, 1, 0, 0, 0, 1, 0});
  Tensor columns = runtime::one_hot(labels, 3, 0, DType::f64);  // the transpose
  CHECK(columns.to_vector() == Values{0, 1, 0, 0, 0, 1, 1, 0, 0});

  Tensor map = Tensor::from_values({1, 2}, {1, 2}, DType::i32);  // [N=1, W=2] -> [1, C=3, 2]
  Tensor planes = runtime::one_hot(map, 3, 1, DType::f32);
  CHECK(planes.shape() == Shape{1, 3, 2});
  CHECK(planes.to_vector() == Values{0, 0, 1, 0, 0, 1});  // class 0: none; 1: first; 2: second
}

TEST_CASE("shape ops reject bad arguments with clear messages", "[runtime][shape]") {
  CHECK_THROWS_WITH(runtime::cat({ramp({2, 3}), ramp({2, 4})}, 0),
                    Contains("cat") && Contains("[2, 4]") && Contains("[2, 3]"));
  CHECK_THROWS_WITH(runtime::cat({ramp({2, 3}), ramp({2, 3}, DType::f64)}, 0), Contains("cat: dtypes differ"));
  CHECK_THROWS_WITH(runtime::cat({}, 0), Contains("cat: no tensors"));
  CHECK_THROWS_WITH(runtime::cat({ramp({2})}, 1), Contains("cat: axis 1 is out of range"));
  CHECK_THROWS_WITH(runtime::split(ramp({2, 6}), {2, 3}, 1),
                    Contains("split: sizes [2, 3] do not add up to 6") && Contains("[2, 6]"));
  CHECK_THROWS_WITH(runtime::split(ramp({4}), {5, -1}, 0), Contains("split: sizes [5, -1]"));
  CHECK_THROWS_WITH(runtime::slice(ramp({4}), 0, 0, 4, 0), Contains("slice: step must be at least 1, got 0"));
  CHECK_THROWS_WITH(runtime::slice_backward(ramp({3, 3}, DType::f64), {3, 4}, 1, 1, 4, 2),
                    Contains("slice_backward: gradient [3, 3] does not match the slice shape [3, 2]"));
  CHECK_THROWS_WITH(runtime::permute(ramp({2, 3, 4}), {0, 0, 1}), Contains("permute: order [0, 0, 1] repeats axis 0"));
  CHECK_THROWS_WITH(runtime::permute(ramp({2, 3}), {0}), Contains("permute: order [0] has 1 axes"));
  Tensor labels = Tensor::from_values({0, 1, 2, 1, 5, 0}, {2, 3}, DType::i32);
  CHECK_THROWS_WITH(runtime::one_hot(labels, 3, 1, DType::f32),
                    Contains("one_hot: target[1, 1] = 5 is not a class index in [0, 3)"));
  CHECK_THROWS_WITH(runtime::one_hot(ramp({3}), 3, 1, DType::f32), Contains("one_hot: target must be i32"));
  CHECK_THROWS_AS(runtime::one_hot(Tensor::from_values({0}, {1}, DType::i32), 2, 1, DType::i32), Error);
}
