// Every differentiable shape op: f64 finite-difference first- and second-order checks for every
// input, plus the forward of the autograd wrappers and the unused-piece path of split.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/reduce.h"
#include "autograd/shape_ops.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("shape ops: first and second order gradients", "[autograd][shape]") {
  struct Case { const char* name; testing::Function f; VariableList inputs; };
  std::vector<Case> cases = {
      {"cat", [](const VariableList& v) { return cat({v[0], v[1], v[2]}, 1); },
       {random_input({2, 1, 3}, 1), random_input({2, 2, 3}, 2), random_input({2, 3, 3}, 3)}},
      {"cat_negative_axis", [](const VariableList& v) { return cat({v[0], v[1]}, -1); },
       {random_input({2, 3}, 4), random_input({2, 2}, 5)}},
      // The middle piece is unused: the engine hands split's backward zeros for it.
      {"split", [](const VariableList& v) {
         VariableList pieces = split(v[0], {1, 2, 2}, 1);
         return cat({pieces[2] * 3.0, pieces[0]}, 1);
       }, {random_input({2, 5, 2}, 6)}},
      {"slice_step", [](const VariableList& v) { return slice(v[0], 2, 1, 5, 2); }, {random_input({2, 2, 5}, 7)}},
      {"slice_negative_start", [](const VariableList& v) { return slice(v[0], 0, -2, 10); }, {random_input({4, 3}, 8)}},
      {"slice_backward", [](const VariableList& v) { return slice_backward(v[0], {3, 5}, 1, 0, 5, 3); },
       {random_input({3, 2}, 9)}},
      {"permute", [](const VariableList& v) { return permute(v[0], {2, 0, 1}); }, {random_input({2, 3, 4}, 10)}},
      {"permute_negative", [](const VariableList& v) { return permute(v[0], {-1, 1, 0}); },
       {random_input({2, 3, 4}, 11)}},
      {"transpose", [](const VariableList& v) { return transpose(v[0], 0, -1); }, {random_input({3, 2, 4}, 12)}},
      {"flatten", [](const VariableList& v) { return flatten(v[0]); }, {random_input({2, 3, 2, 2}, 13)}},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      CHECK_GRADIENTS(c.f, c.inputs);
      testing::Function squared = [&](const VariableList& v) { Variable y = c.f(v); return y * y; };
      CHECK_SECOND_ORDER_GRADIENTS(squared, c.inputs);
    }
  }
}

TEST_CASE("shape op wrappers compute the runtime forward", "[autograd][shape]") {
  Variable x(Tensor::from_values({0, 1, 2, 3, 4, 5}, {2, 3}, DType::f64), true);  // [[0, 1, 2], [3, 4, 5]]
  CHECK(transpose(x, 0, 1).data().to_vector() == std::vector<double>{0, 3, 1, 4, 2, 5});
  Variable image(Tensor::from_values({0, 1, 2, 3, 4, 5}, {1, 2, 1, 3}, DType::f64), true);
  Variable flat = flatten(image);
  CHECK(flat.shape() == Shape{1, 6});
  CHECK(flat.data().to_vector() == std::vector<double>{0, 1, 2, 3, 4, 5});
  CHECK(flatten(image, 2).shape() == Shape{1, 2, 3});
  CHECK(flatten(x, 0).shape() == Shape{6});
  CHECK(slice(x, 1, 2, 3).data().to_vector() == std::vector<double>{2, 5});
  VariableList pieces = split(x, {2, 1}, 1);
  CHECK(pieces[1].data().to_vector() == std::vector<double>{2, 5});
  CHECK(pieces[0].requires_grad());
}

TEST_CASE("slice's gradient lands on the sliced positions", "[autograd][shape]") {
  // d/dx sum(x[:, 1:4:2]) is 1 at columns 1 and 3, 0 elsewhere.
  Variable x(Tensor::from_values({0, 1, 2, 3, 4, 5, 6, 7}, {2, 4}, DType::f64), true);
  backward(sum(slice(x, 1, 1, 4, 2)));
  CHECK(x.grad().data().to_vector() == std::vector<double>{0, 1, 0, 1, 0, 1, 0, 1});
}
