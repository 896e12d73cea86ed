// The checker itself must catch a wrong gradient, or every gradient test would pass vacuously.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/node.h"
#include "runtime/elementwise.h"
#include "tests/support/gradcheck.h"

using namespace dforge;

// x^2 with a deliberately wrong backward (x instead of 2x).
Variable wrong_square(const Variable& x) {
  return record_one("wrong_square", runtime::mul(x.data(), x.data()), {x},
                    [x](BackwardContext&, const VariableList& g) -> VariableList { return {g[0] * x}; });
}

TEST_CASE("gradcheck reports a wrong first-order gradient", "[autograd][gradcheck]") {
  VariableList inputs = {Variable(testing::random_tensor({5}, 1, 0.5, 1.0), true)};
  auto result = testing::gradcheck([](const VariableList& v) { return wrong_square(v[0]); }, inputs);
  CHECK_FALSE(result.ok);
  CHECK(result.worst_error > 10);
}

// x^2 whose backward is numerically right but built from a constant, so it has no second derivative.
Variable square_without_second_order(const Variable& x) {
  return record_one("square_detached", runtime::mul(x.data(), x.data()), {x},
                    [x](BackwardContext&, const VariableList& g) -> VariableList {
    return {g[0] * Variable(runtime::affine(x.data(), 2.0, 0.0))};
  });
}

TEST_CASE("gradgradcheck reports a wrong second-order gradient", "[autograd][gradcheck]") {
  VariableList inputs = {Variable(testing::random_tensor({4}, 2, 0.5, 1.0), true)};
  auto f = [](const VariableList& v) { return square_without_second_order(v[0]); };
  CHECK(testing::gradcheck(f, inputs).ok);
  CHECK_FALSE(testing::gradgradcheck(f, inputs).ok);
}
