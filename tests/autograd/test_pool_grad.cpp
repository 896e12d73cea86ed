// Differentiable pooling: f64 finite-difference checks of first and second order gradients for
// every op, window setting and adjoint, plus one hand-checked gradient per op.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/pool.h"
#include "autograd/reduce.h"
#include "runtime/pool.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_tensor;
using testing::random_input;
using testing::check_both_orders;

TEST_CASE("pooling ops: first and second order gradients", "[autograd][pool]") {
  // Random continuous inputs have no ties, so every max-pool window has one argmax.
  struct Case { const char* name; testing::Function f; };
  std::vector<Case> cases = {
      {"avg 2x2 stride 2", [](const VariableList& v) { return avg_pool2d(v[0], 2, 2); }},
      {"avg 3x3 stride 2 padding 1 counted", [](const VariableList& v) { return avg_pool2d(v[0], 3, 2, 1, true); }},
      {"avg 3x3 stride 1 padding 1 uncounted", [](const VariableList& v) { return avg_pool2d(v[0], 3, 1, 1, false); }},
      {"max 2x2 stride 2", [](const VariableList& v) { return max_pool2d(v[0], 2, 2); }},
      {"max 3x3 stride 2 padding 1", [](const VariableList& v) { return max_pool2d(v[0], 3, 2, 1); }},
      {"max 3x3 stride 1 (overlapping)", [](const VariableList& v) { return max_pool2d(v[0], 3, 1); }},
      {"adaptive 5x6 -> 3x4", [](const VariableList& v) { return adaptive_avg_pool2d(v[0], 3, 4); }},
      {"adaptive 5x6 -> 1x1", [](const VariableList& v) { return adaptive_avg_pool2d(v[0], 1, 1); }},
  };
  for (const Case& c : cases) {
    SECTION(c.name) { check_both_orders(c.f, {random_input({2, 2, 5, 6}, 41)}); }
  }
}

TEST_CASE("pooling adjoints: first and second order gradients", "[autograd][pool]") {
  const Shape shape = {2, 2, 5, 6};
  // Indices of a fixed max pooling (3x3, stride 2, padding 1 -> 3x3 outputs per plane).
  Tensor indices = runtime::max_pool2d(random_tensor(shape, 42), 3, 2, 1).indices;
  struct Case { const char* name; Shape input; testing::Function f; };
  std::vector<Case> cases = {
      {"avg_pool2d_backward", {2, 2, 3, 3},
       [&](const VariableList& v) { return avg_pool2d_backward(v[0], shape, 3, 2, 1, false); }},
      {"adaptive_avg_pool2d_backward", {2, 2, 3, 4},
       [&](const VariableList& v) { return adaptive_avg_pool2d_backward(v[0], shape); }},
      {"max_pool2d_backward", {2, 2, 3, 3},
       [&](const VariableList& v) { return max_pool2d_backward(v[0], indices, shape, 3, 2, 1); }},
      {"max_pool2d_select", shape,
       [&](const VariableList& v) { return max_pool2d_select(v[0], indices, 3, 2, 1); }},
  };
  for (const Case& c : cases) {
    SECTION(c.name) { check_both_orders(c.f, {random_input(c.input, 43)}); }
  }
}

TEST_CASE("pooling gradients by hand", "[autograd][pool]") {
  // 4x4 ramp: each 2x2 max window's largest element is its bottom-right one (5, 7, 13, 15), so
  // d sum(max_pool2d) / dx is 1 there and 0 elsewhere; avg pooling spreads 1/4 everywhere.
  std::vector<double> values(16);
  for (int i = 0; i < 16; ++i) values[size_t(i)] = i;
  Variable x(Tensor::from_values(values, {1, 1, 4, 4}, DType::f64), true);
  Variable max_grad = grad({sum(max_pool2d(x, 2, 2))}, {x})[0];
  CHECK(max_grad.data().to_vector() == std::vector<double>{0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1});
  Variable avg_grad = grad({sum(avg_pool2d(x, 2, 2))}, {x})[0];
  CHECK(avg_grad.data().to_vector() == std::vector<double>(16, 0.25));
  // Adaptive 4 -> 3 (bins [0,2), [1,3), [2,4)): the middle rows and columns sit in two bins,
  // the outer ones in one; each bin is 2x2, weight 1/4, so the gradient is (bins in rows) x
  // (bins in columns) / 4.
  Variable adaptive_grad = grad({sum(adaptive_avg_pool2d(x, 3, 3))}, {x})[0];
  const double row_bins[4] = {1, 2, 2, 1};
  std::vector<double> expected;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) expected.push_back(row_bins[r] * row_bins[c] / 4);
  CHECK(adaptive_grad.data().to_vector() == expected);
}
