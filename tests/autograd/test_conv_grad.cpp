// conv2d, conv_transpose2d and the two conv2d adjoints (conv2d_input, conv2d_weight): f64
// finite-difference checks of the gradient of every input, and of second-order gradients (the
// ops are bilinear, so y * y makes the second derivatives non-trivial).
#include <catch2/catch.hpp>

#include "autograd/conv.h"
#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/grad_mode.h"
#include "autograd/reduce.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_input;
using testing::check_both_orders;

namespace {

ConvParams params(int stride, int padding, int dilation = 1, int output_padding = 0) {
  return {stride, padding, dilation, output_padding};
}

}  // namespace

TEST_CASE("conv2d gradients: N=2, Cin=3, Cout=2, 5x5, k=3, stride 2, padding 1", "[conv][autograd]") {
  for (int dilation : {1, 2}) {
    SECTION("dilation " + std::to_string(dilation)) {
      const ConvParams p = params(2, 1, dilation);
      VariableList inputs = {random_input({2, 3, 5, 5}, 1), random_input({2, 3, 3, 3}, 2), random_input({2}, 3)};
      check_both_orders([p](const VariableList& v) { return conv2d(v[0], v[1], v[2], p); }, inputs);
    }
  }
}

TEST_CASE("conv2d gradients without bias, stride 1, and at sizes a stride-2 transpose cannot reach alone",
          "[conv][autograd]") {
  SECTION("no bias, stride 1, padding 1") {
    VariableList inputs = {random_input({1, 2, 4, 4}, 4), random_input({3, 2, 3, 3}, 5)};
    check_both_orders([](const VariableList& v) { return conv2d(v[0], v[1], Variable(), params(1, 1)); }, inputs);
  }
  SECTION("6x5 input at stride 2: the input gradient needs output sizes 6 and 5") {
    VariableList inputs = {random_input({1, 2, 6, 5}, 6), random_input({2, 2, 3, 3}, 7), random_input({2}, 8)};
    check_both_orders([](const VariableList& v) { return conv2d(v[0], v[1], v[2], params(2, 0)); }, inputs);
  }
  SECTION("1x1 kernel (pointwise path)") {
    VariableList inputs = {random_input({2, 3, 3, 3}, 9), random_input({2, 3, 1, 1}, 10), random_input({2}, 11)};
    check_both_orders([](const VariableList& v) { return conv2d(v[0], v[1], v[2], params(1, 0)); }, inputs);
  }
}

TEST_CASE("conv_transpose2d gradients: k=4, stride 2, padding 1 as in a U-Net", "[conv][autograd]") {
  VariableList inputs = {random_input({2, 3, 3, 3}, 12), random_input({3, 2, 4, 4}, 13), random_input({2}, 14)};
  check_both_orders([](const VariableList& v) { return conv_transpose2d(v[0], v[1], v[2], params(2, 1)); }, inputs);
}

TEST_CASE("conv_transpose2d gradients with output_padding and dilation", "[conv][autograd]") {
  SECTION("k=3, stride 2, padding 1, output_padding 1") {
    VariableList inputs = {random_input({1, 2, 3, 2}, 15), random_input({2, 3, 3, 3}, 16), random_input({3}, 17)};
    check_both_orders([](const VariableList& v) { return conv_transpose2d(v[0], v[1], v[2], params(2, 1, 1, 1)); },
                      inputs);
  }
  SECTION("k=2, dilation 2, no bias") {
    VariableList inputs = {random_input({1, 2, 3, 3}, 18), random_input({2, 2, 2, 2}, 19)};
    check_both_orders([](const VariableList& v) { return conv_transpose2d(v[0], v[1], Variable(), params(1, 0, 2)); },
                      inputs);
  }
}

TEST_CASE("conv2d_weight gradients with respect to the input and the output gradient", "[conv][autograd]") {
  for (int dilation : {1, 2}) {
    SECTION("dilation " + std::to_string(dilation)) {
      const ConvParams p = params(2, 1, dilation);
      // 5x5, k3, s2, p1 gives 3x3 at dilation 1 and 2x2 at dilation 2.
      const int64_t out = dilation == 1 ? 3 : 2;
      VariableList inputs = {random_input({2, 3, 5, 5}, 20), random_input({2, 2, out, out}, 21)};
      check_both_orders([p](const VariableList& v) { return conv2d_weight(v[0], v[1], {2, 3, 3, 3}, p); }, inputs);
    }
  }
}

TEST_CASE("conv2d_input gradients with respect to the output gradient and the weight", "[conv][autograd]") {
  VariableList inputs = {random_input({2, 2, 3, 3}, 22), random_input({2, 3, 3, 3}, 23)};
  check_both_orders([](const VariableList& v) { return conv2d_input(v[0], v[1], {2, 3, 6, 5}, params(2, 1)); }, inputs);
}

TEST_CASE("a gradient penalty through two convolutions (WGAN-GP shape) has correct gradients", "[conv][autograd]") {
  // penalty = sum((d score / d x)^2) with score = sum(conv2d(tanh(conv2d(x, W1)), W2)): the
  // weights' gradients go through the backward of both convolutions.
  testing::Function penalty = [](const VariableList& v) {
    GradModeGuard grad_on(true);  // the finite differences run f under NoGradGuard; the inner grad needs a graph
    Variable hidden = tanh(conv2d(v[0], v[1], Variable(), params(2, 1)));
    Variable score = sum(conv2d(hidden, v[2], Variable(), params(1, 0)));
    Variable input_grad = grad({score}, {v[0]}, {}, /*create_graph=*/true)[0];
    return sum(input_grad * input_grad);
  };
  VariableList inputs = {random_input({1, 2, 5, 5}, 24), random_input({3, 2, 3, 3}, 25),
                         random_input({1, 3, 2, 2}, 26)};
  CHECK_GRADIENTS(penalty, inputs);
}
