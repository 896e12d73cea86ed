// matmul (every transpose flag pair) and linear against products computed by hand, in f32 and
// f64, plus the shape errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>

#include "runtime/matmul.h"
#include "tests/support/compare.h"

using namespace dforge;
using Catch::Contains;
using testing::check_values;

namespace {

const DType kFloatingTypes[] = {DType::f32, DType::f64};

}  // namespace

TEST_CASE("matmul with every pair of transpose flags", "[matmul]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    // A = [1 2 3; 4 5 6], B = [7 8; 9 10; 11 12]:
    // AB = [1*7+2*9+3*11, 1*8+2*10+3*12; 4*7+5*9+6*11, 4*8+5*10+6*12] = [58 64; 139 154].
    Tensor a = Tensor::from_values({1, 2, 3, 4, 5, 6}, {2, 3}, dtype);
    Tensor b = Tensor::from_values({7, 8, 9, 10, 11, 12}, {3, 2}, dtype);
    Tensor a_stored_transposed = Tensor::from_values({1, 4, 2, 5, 3, 6}, {3, 2}, dtype);
    Tensor b_stored_transposed = Tensor::from_values({7, 9, 11, 8, 10, 12}, {2, 3}, dtype);
    const std::vector<double> product = {58, 64, 139, 154};
    check_values(runtime::matmul(a, b), {2, 2}, product, 1e-5, 1e-5);
    check_values(runtime::matmul(a_stored_transposed, b, true, false), {2, 2}, product, 1e-5, 1e-5);
    check_values(runtime::matmul(a, b_stored_transposed, false, true), {2, 2}, product, 1e-5, 1e-5);
    check_values(runtime::matmul(a_stored_transposed, b_stored_transposed, true, true), {2, 2}, product, 1e-5, 1e-5);
    // BA is 3x3: row 0 = 7*[1 2 3] + 8*[4 5 6] = [39 54 69], row 1 = 9*.. + 10*.. = [49 68 87],
    // row 2 = 11*.. + 12*.. = [59 82 105].
    check_values(runtime::matmul(b, a), {3, 3}, {39, 54, 69, 49, 68, 87, 59, 82, 105}, 1e-5, 1e-5);
  }
}

TEST_CASE("matmul of a column by a row is the outer product; empty inner size gives zeros", "[matmul]") {
  Tensor column = Tensor::from_values({1, 2}, {2, 1});
  Tensor row = Tensor::from_values({3, 4, 5}, {1, 3});
  check_values(runtime::matmul(column, row), {2, 3}, {3, 4, 5, 6, 8, 10}, 1e-5, 1e-5);
  check_values(runtime::matmul(Tensor::empty({2, 0}), Tensor::empty({0, 2})), {2, 2}, {0, 0, 0, 0}, 1e-5, 1e-5);
}

TEST_CASE("linear is x W^T + bias", "[matmul]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    // x = [1 2 3; 4 5 6], W = [1 0 -1; 2 2 2] (out = 2): x W^T = [1-3, 2+4+6; 4-6, 8+10+12]
    // = [-2 12; -2 30]; bias [0.5, -1].
    Tensor x = Tensor::from_values({1, 2, 3, 4, 5, 6}, {2, 3}, dtype);
    Tensor w = Tensor::from_values({1, 0, -1, 2, 2, 2}, {2, 3}, dtype);
    Tensor bias = Tensor::from_values({0.5, -1}, {2}, dtype);
    check_values(runtime::linear(x, w, bias), {2, 2}, {-1.5, 11, -1.5, 29}, 1e-5, 1e-5);
    check_values(runtime::linear(x, w, Tensor()), {2, 2}, {-2, 12, -2, 30}, 1e-5, 1e-5);
  }
}

TEST_CASE("matmul and linear errors name the op and the shapes", "[matmul]") {
  CHECK_THROWS_WITH(runtime::matmul(Tensor::empty({2, 3}), Tensor::empty({2, 2})),
                    "matmul: a [2, 3] and b [2, 2] have inner sizes 3 and 2");
  CHECK_THROWS_WITH(runtime::matmul(Tensor::empty({2, 3}), Tensor::empty({3, 2}), true, false),
                    "matmul: a [2, 3] (transposed) and b [3, 2] have inner sizes 2 and 3");
  CHECK_THROWS_WITH(runtime::matmul(Tensor::empty({2, 3}), Tensor::empty({2, 2}), false, true),
                    "matmul: a [2, 3] and b [2, 2] (transposed) have inner sizes 3 and 2");
  CHECK_THROWS_WITH(runtime::matmul(Tensor::empty({2, 3, 4}), Tensor::empty({4, 2})),
                    "matmul: a must be a 2-d matrix, got f32[2, 3, 4] cpu");
  CHECK_THROWS_WITH(runtime::matmul(Tensor::empty({2, 3}), Tensor::empty({3, 2}, DType::f64)),
                    Contains("matmul: dtypes differ"));
  CHECK_THROWS_WITH(runtime::linear(Tensor::empty({2, 3}), Tensor::empty({4, 5}), Tensor()),
                    "linear: input has 3 features, weight [4, 5] expects 5");
  CHECK_THROWS_WITH(runtime::linear(Tensor::empty({2, 3}), Tensor::empty({4, 3}), Tensor::empty({3})),
                    "linear: bias [3] does not match weight [4, 3] (expected [4])");
  CHECK_THROWS_WITH(runtime::linear(Tensor::empty({3}), Tensor::empty({4, 3}), Tensor()),
                    "linear: input must be [N, in], got f32[3] cpu");
}

TEST_CASE("matmul matches a direct loop on sizes that take the threaded split", "[matmul]") {
  // 70x90x50 and 30x90x110 multiply-adds exceed the split threshold; the first splits rows of C,
  // the second columns. Both with every transpose flag pair.
  for (auto [m, k, n] : {std::tuple<int64_t, int64_t, int64_t>{70, 90, 50}, {30, 90, 110}}) {
    for (bool transpose_a : {false, true}) {
      for (bool transpose_b : {false, true}) {
        INFO("m " << m << " k " << k << " n " << n << " transpose_a " << transpose_a << " transpose_b " << transpose_b);
        std::vector<double> a_values(size_t(m * k)), b_values(size_t(k * n));
        for (size_t i = 0; i < a_values.size(); ++i) a_values[i] = std::sin(0.7 * double(i));
        for (size_t i = 0; i < b_values.size(); ++i) b_values[i] = std::cos(0.3 * double(i));
        // Stored element of op(A)[r][c]: A[r][c] plain, A[c][r] (A stored [k, m]) transposed.
        auto a_at = [&](int64_t r, int64_t c) {
          return transpose_a ? a_values[size_t(c * m + r)] : a_values[size_t(r * k + c)];
        };
        auto b_at = [&](int64_t r, int64_t c) {
          return transpose_b ? b_values[size_t(c * k + r)] : b_values[size_t(r * n + c)];
        };
        std::vector<double> expected(size_t(m * n), 0.0);
        for (int64_t r = 0; r < m; ++r)
          for (int64_t c = 0; c < n; ++c)
            for (int64_t i = 0; i < k; ++i) expected[size_t(r * n + c)] += a_at(r, i) * b_at(i, c);
        Tensor a = Tensor::from_values(a_values, transpose_a ? Shape{k, m} : Shape{m, k}, DType::f64);
        Tensor b = Tensor::from_values(b_values, transpose_b ? Shape{n, k} : Shape{k, n}, DType::f64);
        check_values(runtime::matmul(a, b, transpose_a, transpose_b), {m, n}, expected, 1e-5, 1e-5);
      }
    }
  }
}
