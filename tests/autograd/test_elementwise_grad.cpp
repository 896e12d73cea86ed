// Every differentiable elementwise op: f64 finite-difference gradient and second-order checks.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/reduce.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("unary ops: first and second order gradients", "[autograd][elementwise]") {
  struct Case { const char* name; testing::Function f; double low, high; };
  std::vector<Case> cases = {
      {"neg", [](const VariableList& v) { return neg(v[0]); }, -1, 1},
      {"abs", [](const VariableList& v) { return abs(v[0]); }, 0.1, 1},
      {"exp", [](const VariableList& v) { return exp(v[0]); }, -1, 1},
      {"log", [](const VariableList& v) { return log(v[0]); }, 0.5, 2},
      {"sqrt", [](const VariableList& v) { return sqrt(v[0]); }, 0.5, 2},
      {"rsqrt", [](const VariableList& v) { return rsqrt(v[0]); }, 0.5, 2},
      {"pow", [](const VariableList& v) { return pow(v[0], 3.0); }, -1, 1},
      {"pow_fraction", [](const VariableList& v) { return pow(v[0], 1.5); }, 0.5, 2},
      {"tanh", [](const VariableList& v) { return tanh(v[0]); }, -2, 2},
      {"sigmoid", [](const VariableList& v) { return sigmoid(v[0]); }, -3, 3},
      {"relu", [](const VariableList& v) { return relu(v[0]); }, -1, 1},
      {"leaky_relu", [](const VariableList& v) { return leaky_relu(v[0], 0.2); }, -1, 1},
      {"clamp", [](const VariableList& v) { return clamp(v[0], -0.5, 0.5); }, -1, 1},
      {"affine", [](const VariableList& v) { return affine(v[0], -2.5, 0.3); }, -1, 1},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      VariableList inputs = {random_input({3, 4}, 11, c.low, c.high)};
      CHECK_GRADIENTS(c.f, inputs);
      // Products make the second derivative of linear-ish ops non-trivial as well.
      testing::Function squared = [&](const VariableList& v) { Variable y = c.f(v); return y * y * v[0]; };
      CHECK_SECOND_ORDER_GRADIENTS(squared, inputs);
    }
  }
}

TEST_CASE("binary ops with broadcasting: first and second order gradients", "[autograd][elementwise]") {
  struct Case { const char* name; testing::Function f; };
  std::vector<Case> cases = {
      {"add", [](const VariableList& v) { return v[0] + v[1]; }},
      {"sub", [](const VariableList& v) { return v[0] - v[1]; }},
      {"mul", [](const VariableList& v) { return v[0] * v[1]; }},
      {"div", [](const VariableList& v) { return v[0] / (v[1] + 3.0); }},
      {"maximum", [](const VariableList& v) { return maximum(v[0], v[1]); }},
      {"minimum", [](const VariableList& v) { return minimum(v[0], v[1]); }},
      {"where", [](const VariableList& v) { return where(gt(v[0], v[1]), v[0] * v[1], v[1]); }},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      VariableList inputs = {random_input({2, 3, 4}, 21), random_input({3, 1}, 22)};
      CHECK_GRADIENTS(c.f, inputs);
      testing::Function cubic = [&](const VariableList& v) { Variable y = c.f(v); return y * y * y; };
      CHECK_SECOND_ORDER_GRADIENTS(cubic, inputs);
    }
  }
}

TEST_CASE("reductions: first and second order gradients", "[autograd][reduce]") {
  struct Case { const char* name; testing::Function f; };
  std::vector<Case> cases = {
      {"sum_all", [](const VariableList& v) { return sum(v[0] * v[0]); }},
      {"sum_axes", [](const VariableList& v) { return sum(v[0] * v[0], {0, 2}); }},
      {"mean_keepdim", [](const VariableList& v) { return mean(v[0] * v[0], {1}, true); }},
      {"var_biased", [](const VariableList& v) { return var(v[0], {1, 2}, false, 0); }},
      {"var_unbiased", [](const VariableList& v) { return var(v[0], {0}, true, 1); }},
      {"max", [](const VariableList& v) { return max(v[0], {2}); }},
      {"min_all", [](const VariableList& v) { return min(v[0] * v[0]); }},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      VariableList inputs = {random_input({2, 3, 4}, 31)};
      CHECK_GRADIENTS(c.f, inputs);
      testing::Function squared = [&](const VariableList& v) { Variable y = c.f(v); return y * y; };
      CHECK_SECOND_ORDER_GRADIENTS(squared, inputs);
    }
  }
}
