// softmax and log_softmax: f64 finite-difference first- and second-order checks on several axes,
// and the known gradient of log_softmax summed over its axis.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/reduce.h"
#include "autograd/softmax.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::check_both_orders;
using testing::random_input;

TEST_CASE("softmax and log_softmax: first and second order gradients", "[autograd][softmax]") {
  struct Case { const char* name; testing::Function f; };
  std::vector<Case> cases = {
      {"softmax_last", [](const VariableList& v) { return softmax(v[0], -1); }},
      {"softmax_channels", [](const VariableList& v) { return softmax(v[0], 1); }},
      {"softmax_first", [](const VariableList& v) { return softmax(v[0], 0); }},
      {"log_softmax_last", [](const VariableList& v) { return log_softmax(v[0], 2); }},
      {"log_softmax_channels", [](const VariableList& v) { return log_softmax(v[0], 1); }},
  };
  for (const Case& c : cases) {
    SECTION(c.name) { check_both_orders(c.f, {random_input({2, 3, 4}, 41, -2, 2)}); }
  }
}

TEST_CASE("log_softmax gradient of a picked entry is onehot - softmax", "[autograd][softmax]") {
  // d log_softmax(x)_2 / dx = e_2 - softmax(x); softmax([1, 2, 3]) = (0.0900, 0.2447, 0.6652).
  Variable x(Tensor::from_values({1, 2, 3}, {3}, DType::f64), true);
  Variable picked = sum(log_softmax(x, 0) * Variable(Tensor::from_values({0, 0, 1}, {3}, DType::f64)));
  backward(picked);
  std::vector<double> gradient = x.grad().data().to_vector();
  std::vector<double> expected = {-0.0900305732, -0.2447284711, 1 - 0.6652409558};
  for (size_t i = 0; i < 3; ++i) CHECK(std::fabs(gradient[i] - expected[i]) < 1e-9);
}
