// Second-order gradients on the GPU. A finite-difference check in f32 drowns in rounding noise, so
// the GPU's gradients of an R1-style penalty, |d D(x) / dx|^2 differentiated again with respect to
// x and the parameters, are compared with the CPU's, computed the same way (rtol 1e-4, atol 1e-4
// of the largest CPU value). The CPU's second-order gradients are themselves checked against
// finite differences in f64 by the autograd tests.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/conv.h"
#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/matmul.h"
#include "autograd/norm.h"
#include "autograd/pad.h"
#include "autograd/pool.h"
#include "autograd/reduce.h"
#include "autograd/resize.h"
#include "autograd/shape_ops.h"
#include "autograd/softmax.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

namespace {

// D(x, parameters) -> any shape; the penalty projects it onto a fixed random tensor.
using Critic = std::function<Variable(const Variable&, const VariableList&)>;

// d/d(x, parameters) of sum((d <D(x), proj> / dx)^2), on `device`, returned on the host.
std::vector<Tensor> penalty_gradients(const Critic& critic, const std::vector<Tensor>& inputs,
                                      Device device) {
  VariableList leaves;
  for (const Tensor& input : testing::to_device(inputs, device)) leaves.emplace_back(input, true);
  const Variable x = leaves[0];
  const VariableList parameters(leaves.begin() + 1, leaves.end());
  const Variable output = critic(x, parameters);
  const Variable projection(random_input(output.shape(), 999).to(device));
  const Variable score = sum(output * projection);
  const Variable input_gradient = grad({score}, {x}, {}, /*create_graph=*/true)[0];
  const Variable penalty = sum(input_gradient * input_gradient);
  std::vector<Tensor> result;
  for (const Variable& gradient : grad({penalty}, leaves))
    result.push_back(gradient.data().to(Device::cpu()));
  return result;
}

void check_second_order(const std::string& name, const Critic& critic, const std::vector<Tensor>& inputs) {
  const std::vector<Tensor> expected = penalty_gradients(critic, inputs, Device::cpu());
  const std::vector<Tensor> actual = penalty_gradients(critic, inputs, testing::target_device());
  REQUIRE(expected.size() == actual.size());
  for (size_t k = 0; k < expected.size(); ++k) {
    double largest = 0;
    for (double value : expected[k].to_vector()) largest = std::max(largest, std::fabs(value));
    const testing::Comparison comparison =
        testing::compare_tensors(expected[k], actual[k], 1e-4, 1e-4 * largest);
    INFO(name << ", gradient " << k << ": " << comparison.report);
    CHECK(comparison.ok);
  }
}

}  // namespace

TEST_CASE("cuda second-order gradients through conv, transposed conv and activations",
          "[cuda][second_order]") {
  check_second_order("conv",
                     [](const Variable& x, const VariableList& p) {
                       const Variable h = leaky_relu(conv2d(x, p[0], p[1], {.stride = 2, .padding = 1}), 0.2);
                       return tanh(conv_transpose2d(h, p[2], Variable(), {.stride = 2, .padding = 1}));
                     },
                     {random_input({2, 3, 8, 8}, 1), random_input({4, 3, 4, 4}, 2, DType::f32, -0.3, 0.3),
                      random_input({4}, 3), random_input({4, 2, 4, 4}, 4, DType::f32, -0.3, 0.3)});
}

TEST_CASE("cuda second-order gradients through norms and reductions", "[cuda][second_order]") {
  check_second_order(
      "norms",
      [](const Variable& x, const VariableList& p) {
        const Variable h = instance_norm(x, p[0], p[1], 1e-5);
        const Variable g = normalize(sigmoid(h) * x, {0, 2, 3}, 1e-5);
        return mean(g * g, {2, 3}) + max(x, {2, 3}) + var(x, {2, 3}, false, 1);
      },
      {random_input({2, 3, 5, 5}, 5), random_input({3}, 6, DType::f32, 0.5, 1.5), random_input({3}, 7)});
}

TEST_CASE("cuda second-order gradients through pooling, resizing and padding", "[cuda][second_order]") {
  check_second_order("pool",
                     [](const Variable& x, const VariableList& p) {
                       const Variable padded = pad2d(x * p[0], 2, 1, 1, 2, PadMode::reflect);
                       const Variable pooled = avg_pool2d(padded, 3, 2, 1) + max_pool2d(padded, 3, 2, 1);
                       const Variable resized =
                           upsample(pooled * pooled, 11, 9, UpsampleMode::bilinear, true);
                       return adaptive_avg_pool2d(resized * resized, 3, 2);
                     },
                     {random_input({2, 2, 8, 7}, 8), random_input({2, 1, 1}, 9, DType::f32, 0.5, 1.5)});
}

TEST_CASE("cuda second-order gradients through linear layers, softmax and shape ops",
          "[cuda][second_order]") {
  check_second_order(
      "linear",
      [](const Variable& x, const VariableList& p) {
        const Variable hidden = tanh(linear(flatten(x, 1), p[0], p[1]));  // [3, 12]
        const VariableList halves = split(hidden, {5, 7}, 1);
        const Variable joined = cat({halves[1], halves[0] * halves[0]}, 1);
        const Variable scores = log_softmax(matmul(joined, p[2]), 1);                     // [3, 24]
        const Variable picked = softmax(permute(slice(x, 2, 0, 4, 2), {0, 2, 1, 3}), 1);  // [3, 2, 4, 3]
        return scores + reshape(picked, {3, 24});
      },
      {random_input({3, 4, 4, 3}, 10), random_input({12, 48}, 11, DType::f32, -0.2, 0.2),
       random_input({12}, 12), random_input({12, 24}, 13, DType::f32, -0.3, 0.3)});
}
