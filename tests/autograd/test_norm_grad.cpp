// Differentiable norms: hand-checked forwards (instance, batch train/eval, running statistics),
// argument errors, f64 first- and second-order gradient checks for every input of every op, and
// agreement of the fused backward kernel with the create_graph composition.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/norm.h"
#include "autograd/reduce.h"
#include "runtime/error.h"
#include "tests/support/compare.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_tensor;
using testing::check_close;
using testing::random_input;
using testing::check_both_orders;

TEST_CASE("instance_norm of [1, 2, 3, 4]: hand-checked, with and without affine", "[norm][autograd]") {
  // mean 2.5, biased var 1.25: y = (x - 2.5) / sqrt(1.25 + eps); with weight 2, bias -1: 2y - 1.
  const double eps = 1e-5, s = 1.0 / std::sqrt(1.25 + eps);
  Variable x(Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2}, DType::f64));
  check_close(instance_norm(x, Variable(), Variable(), eps).data(), {-1.5 * s, -0.5 * s, 0.5 * s, 1.5 * s}, 1e-12);
  Variable weight(Tensor::from_values({2}, {1}, DType::f64)), bias(Tensor::from_values({-1}, {1}, DType::f64));
  check_close(instance_norm(x, weight, bias, eps).data(), {-3 * s - 1, -s - 1, s - 1, 3 * s - 1}, 1e-12);
}

TEST_CASE("channel_norm normalises each pixel across channels: hand-checked", "[norm][autograd]") {
  // x [1, 2, 1, 1]: channels (1, 5): mean 3, var 4, eps 0 -> y = (x - 3) / 2 = (-1, 1).
  Variable x(Tensor::from_values({1, 5}, {1, 2, 1, 1}, DType::f64));
  check_close(channel_norm(x, 0.0).data(), {-1, 1}, 1e-12);
}

TEST_CASE("normalize hands back the statistics it used", "[norm][autograd]") {
  // Rows (1, 3) and (2, 6): means 2 and 4, biased vars 1 and 4.
  Variable x(Tensor::from_values({1, 3, 2, 6}, {2, 2}, DType::f64));
  Tensor mean, var;
  Variable y = normalize(x, {1}, 0.0, &mean, &var);
  check_close(y.data(), {-1, 1, -1, 1}, 1e-12);
  CHECK(mean.shape() == Shape{2, 1});
  check_close(mean, {2, 4}, 1e-12);
  check_close(var, {1, 4}, 1e-12);
}

TEST_CASE("batch_norm training: affine output and running statistics after two steps", "[norm][autograd]") {
  // x [2, 2, 1, 2], momentum 0.1, running_mean starts at 0, running_var at 1.
  // Step 1: channel 0 = {1, 2, 3, 4}: mean 2.5, biased var 1.25, unbiased 5/3;
  //         channel 1 = {5, 5, 5, 5}: mean 5, var 0.
  //   running_mean = 0.9 * 0 + 0.1 * (2.5, 5) = (0.25, 0.5)
  //   running_var = 0.9 * 1 + 0.1 * (5/3, 0) = (0.9 + 1/6, 0.9) = (1.0666..., 0.9)
  //   output with weight (2, -1), bias (0.5, 3): channel 0 = 2 (x - 2.5) / sqrt(1.25 + eps) + 0.5,
  //   channel 1 = -1 * 0 + 3 = 3.
  // Step 2: channel 0 = {2, 4, 6, 8}: mean 5, unbiased var (9 + 1 + 1 + 9) / 3 = 20/3;
  //         channel 1 = {-1, 1, -1, 1}: mean 0, unbiased var 4/3.
  //   running_mean = 0.9 * (0.25, 0.5) + 0.1 * (5, 0) = (0.725, 0.45)
  //   running_var = 0.9 * (1 + 1/15, 0.9) + 0.1 * (20/3, 4/3) = (0.96 + 2/3, 0.81 + 2/15).
  const double eps = 1e-5;
  for (DType dtype : {DType::f32, DType::f64}) {
    const double tolerance = dtype == DType::f32 ? 1e-5 : 1e-12;
    Tensor running_mean = Tensor::zeros({2}, dtype), running_var = Tensor::full({2}, 1.0, dtype);
    Tensor running_mean_storage = running_mean;  // the update must land in this very buffer
    Variable weight(Tensor::from_values({2, -1}, {2}, dtype)), bias(Tensor::from_values({0.5, 3}, {2}, dtype));
    Variable step1(Tensor::from_values({1, 2, 5, 5, 3, 4, 5, 5}, {2, 2, 1, 2}, dtype));
    Variable y = batch_norm(step1, weight, bias, running_mean, running_var, true, 0.1, eps);
    const double s = 2.0 / std::sqrt(1.25 + eps);
    check_close(y.data(), {-1.5 * s + 0.5, -0.5 * s + 0.5, 3, 3, 0.5 * s + 0.5, 1.5 * s + 0.5, 3, 3}, tolerance);
    check_close(running_mean, {0.25, 0.5}, tolerance);
    check_close(running_var, {0.9 + 1.0 / 6.0, 0.9}, tolerance);
    Variable step2(Tensor::from_values({2, 4, -1, 1, 6, 8, -1, 1}, {2, 2, 1, 2}, dtype));
    batch_norm(step2, Variable(), Variable(), running_mean, running_var, true, 0.1, eps);
    check_close(running_mean, {0.725, 0.45}, tolerance);
    check_close(running_var, {0.96 + 2.0 / 3.0, 0.81 + 2.0 / 15.0}, tolerance);
    CHECK(running_mean.shares_storage(running_mean_storage));
  }
}

TEST_CASE("batch_norm eval uses the running statistics and leaves them alone", "[norm][autograd]") {
  // running_mean 1, running_var 3, eps 1: scale 1/sqrt(4) = 1/2; weight 3, bias -1:
  // y = 3 (x - 1) / 2 - 1, so x = (1, 3, 5) -> (-1, 2, 5).
  Tensor running_mean = Tensor::from_values({1}, {1}, DType::f64);
  Tensor running_var = Tensor::from_values({3}, {1}, DType::f64);
  Variable weight(Tensor::from_values({3}, {1}, DType::f64)), bias(Tensor::from_values({-1}, {1}, DType::f64));
  Variable x(Tensor::from_values({1, 3, 5}, {3, 1}, DType::f64));
  check_close(batch_norm(x, weight, bias, running_mean, running_var, false, 0.1, 1.0).data(), {-1, 2, 5}, 1e-12);
  // Without affine: (x - 1) / 2 = (0, 1, 2).
  check_close(batch_norm(x, Variable(), Variable(), running_mean, running_var, false, 0.1, 1.0).data(), {0, 1, 2},
              1e-12);
  check_close(running_mean, {1}, 0);
  check_close(running_var, {3}, 0);
}

TEST_CASE("batch_norm training without running statistics normalises the batch only", "[norm][autograd]") {
  // Channel values (1, 3): mean 2, var 1, eps 0 -> (-1, 1).
  Tensor none_mean, none_var;
  Variable x(Tensor::from_values({1, 3}, {2, 1}, DType::f64));
  check_close(batch_norm(x, Variable(), Variable(), none_mean, none_var, true, 0.1, 0.0).data(), {-1, 1}, 1e-12);
}

TEST_CASE("norm errors name the op and the offending shapes", "[norm][autograd]") {
  Variable x(Tensor::zeros({2, 4, 1, 2}));
  Variable wrong(Tensor::zeros({3}));
  Tensor running_mean = Tensor::zeros({4}), running_var = Tensor::full({4}, 1.0);
  Tensor wrong_running = Tensor::zeros({5}), none;
  CHECK_THROWS_WITH(batch_norm(x, wrong, Variable(), running_mean, running_var, true, 0.1, 1e-5),
                    Catch::Contains("batch_norm: weight has shape [3], input [2, 4, 1, 2] has 4 channels"));
  CHECK_THROWS_WITH(batch_norm(x, Variable(), wrong, running_mean, running_var, false, 0.1, 1e-5),
                    Catch::Contains("batch_norm: bias has shape [3], input [2, 4, 1, 2] has 4 channels"));
  CHECK_THROWS_WITH(batch_norm(x, Variable(), Variable(), wrong_running, running_var, true, 0.1, 1e-5),
                    Catch::Contains("batch_norm: running_mean has shape [5], input [2, 4, 1, 2] has 4 channels"));
  CHECK_THROWS_WITH(batch_norm(x, Variable(), Variable(), running_mean, wrong_running, false, 0.1, 1e-5),
                    Catch::Contains("batch_norm: running_var has shape [5], input [2, 4, 1, 2] has 4 channels"));
  CHECK_THROWS_WITH(batch_norm(x, Variable(), Variable(), running_mean, none, true, 0.1, 1e-5),
                    Catch::Contains("both be given or both be undefined"));
  CHECK_THROWS_WITH(batch_norm(x, Variable(), Variable(), none, none, false, 0.1, 1e-5),
                    Catch::Contains("eval mode needs running_mean and running_var"));
  CHECK_THROWS_WITH(batch_norm(Variable(Tensor::zeros({1, 4})), Variable(), Variable(), running_mean, running_var,
                               true, 0.1, 1e-5),
                    Catch::Contains("more than one value per channel, got input [1, 4]"));
  Tensor f64_mean = Tensor::zeros({4}, DType::f64), f64_var = Tensor::zeros({4}, DType::f64);
  CHECK_THROWS_WITH(batch_norm(x, Variable(), Variable(), f64_mean, f64_var, true, 0.1, 1e-5),
                    Catch::Contains("batch_norm: dtypes differ"));
  CHECK_THROWS_WITH(batch_norm(Variable(Tensor::zeros({4})), Variable(), Variable(), none, none, true, 0.1, 1e-5),
                    Catch::Contains("batch_norm: input [4] should be [N, C, ...]"));
  CHECK_THROWS_WITH(instance_norm(Variable(Tensor::zeros({2, 4})), Variable(), Variable(), 1e-5),
                    Catch::Contains("instance_norm: input [2, 4] should be [N, C, spatial...]"));
  CHECK_THROWS_WITH(instance_norm(x, wrong, Variable(), 1e-5),
                    Catch::Contains("instance_norm: weight has shape [3], input [2, 4, 1, 2] has 4 channels"));
  CHECK_THROWS_WITH(channel_norm(Variable(Tensor::zeros({4})), 1e-5), Catch::Contains("channel_norm: input [4]"));
  CHECK_THROWS_WITH(normalize(x, {4}, 1e-5), Catch::Contains("axis 4 is out of range"));
  CHECK_THROWS_AS(normalize(x, {}, 1e-5), Error);
}

TEST_CASE("normalize: first and second order gradients over several axis sets", "[norm][autograd]") {
  const std::vector<std::vector<int>> axis_sets = {{1}, {2, 3}, {0, 2, 3}, {1, 3}, {0, 1, 2, 3}};
  for (const std::vector<int>& axes : axis_sets) {
    SECTION("axes " + shape_str(Shape(axes.begin(), axes.end()))) {
      testing::Function f = [&](const VariableList& v) { return normalize(v[0], axes, 1e-5); };
      check_both_orders(f, {random_input({2, 3, 2, 3}, 41)});
    }
  }
}

TEST_CASE("fused backward kernel and create_graph composition agree", "[norm][autograd]") {
  const std::vector<std::vector<int>> axis_sets = {{1}, {2, 3}, {0, 2, 3}, {1, 3}};
  for (const std::vector<int>& axes : axis_sets) {
    INFO("axes " << shape_str(Shape(axes.begin(), axes.end())));
    Variable x = random_input({2, 3, 4, 5}, 43, -2.0, 2.0);
    Variable weights(random_tensor({2, 3, 4, 5}, 44));
    Variable loss = sum(normalize(x, axes, 1e-5) * weights);
    Tensor fused = grad({loss}, {x}, {}, /*create_graph=*/false)[0].data();
    Variable composed = grad({loss}, {x}, {}, /*create_graph=*/true)[0];
    CHECK(composed.requires_grad());  // recorded: the composition ran, not the kernel
    check_close(fused, composed.data().to_vector(), 1e-12);
  }
}

TEST_CASE("batch_norm: first and second order gradients in training and eval", "[norm][autograd]") {
  Tensor running_mean = random_tensor({3}, 51), running_var = random_tensor({3}, 52, 0.5, 2.0);
  VariableList inputs = {random_input({3, 3, 2, 2}, 53), random_input({3}, 54, 0.5, 1.5), random_input({3}, 55)};
  SECTION("training with affine") {
    testing::Function f = [&](const VariableList& v) {
      return batch_norm(v[0], v[1], v[2], running_mean, running_var, true, 0.1, 1e-5);
    };
    check_both_orders(f, inputs);
  }
  SECTION("training without affine") {
    testing::Function f = [&](const VariableList& v) {
      return batch_norm(v[0], Variable(), Variable(), running_mean, running_var, true, 0.1, 1e-5);
    };
    check_both_orders(f, {inputs[0]});
  }
  SECTION("training with a zero weight, weight only, bias only") {
    // A weight of 0 makes the output blind to x: the backward must not divide by it.
    Variable zero_weight(Tensor::from_values({0.0, 1.3, -0.7}, {3}, DType::f64), true);
    testing::Function both = [&](const VariableList& v) {
      return batch_norm(v[0], v[1], v[2], running_mean, running_var, true, 0.1, 1e-5);
    };
    check_both_orders(both, {inputs[0], zero_weight, inputs[2]});
    testing::Function weight_only = [&](const VariableList& v) {
      return batch_norm(v[0], v[1], Variable(), running_mean, running_var, true, 0.1, 1e-5);
    };
    check_both_orders(weight_only, {inputs[0], inputs[1]});
    testing::Function bias_only = [&](const VariableList& v) {
      return batch_norm(v[0], Variable(), v[1], running_mean, running_var, true, 0.1, 1e-5);
    };
    check_both_orders(bias_only, {inputs[0], inputs[2]});
  }
  SECTION("training with affine on [N, C] and [N, C, L] inputs") {
    testing::Function f = [&](const VariableList& v) {
      return batch_norm(v[0], v[1], v[2], running_mean, running_var, true, 0.1, 1e-5);
    };
    check_both_orders(f, {random_input({5, 3}, 56), inputs[1], inputs[2]});
    check_both_orders(f, {random_input({2, 3, 4}, 57), inputs[1], inputs[2]});
  }
  SECTION("eval with affine") {
    testing::Function f = [&](const VariableList& v) {
      return batch_norm(v[0], v[1], v[2], running_mean, running_var, false, 0.1, 1e-5);
    };
    check_both_orders(f, inputs);
  }
}

TEST_CASE("instance_norm and channel_norm: first and second order gradients", "[norm][autograd]") {
  SECTION("instance_norm with affine") {
    testing::Function f = [](const VariableList& v) { return instance_norm(v[0], v[1], v[2], 1e-5); };
    check_both_orders(f, {random_input({2, 3, 2, 3}, 61), random_input({3}, 62, 0.5, 1.5), random_input({3}, 63)});
  }
  SECTION("instance_norm with a zero weight, weight only, bias only") {
    Variable zero_weight(Tensor::from_values({1.2, 0.0, -0.8}, {3}, DType::f64), true);
    testing::Function both = [](const VariableList& v) { return instance_norm(v[0], v[1], v[2], 1e-5); };
    check_both_orders(both, {random_input({2, 3, 2, 3}, 66), zero_weight, random_input({3}, 67)});
    testing::Function weight_only = [](const VariableList& v) { return instance_norm(v[0], v[1], Variable(), 1e-5); };
    check_both_orders(weight_only, {random_input({2, 3, 5}, 68), random_input({3}, 69, 0.5, 1.5)});
    testing::Function bias_only = [](const VariableList& v) { return instance_norm(v[0], Variable(), v[1], 1e-5); };
    check_both_orders(bias_only, {random_input({2, 3, 5}, 70), random_input({3}, 71)});
  }
  SECTION("instance_norm without affine, 3-D input") {
    testing::Function f = [](const VariableList& v) { return instance_norm(v[0], Variable(), Variable(), 1e-5); };
    check_both_orders(f, {random_input({2, 2, 5}, 64)});
  }
  SECTION("channel_norm") {
    testing::Function f = [](const VariableList& v) { return channel_norm(v[0], 1e-5); };
    check_both_orders(f, {random_input({2, 4, 2, 3}, 65)});
  }
}

TEST_CASE("batch_norm and instance_norm: fused affine backward and create_graph composition agree",
          "[norm][autograd]") {
  // x, weight and bias gradients from the fused kernel (plain backward) and from the differentiable
  // composition (create_graph), with a zero in the weight; also when only some inputs need gradients.
  Tensor running_mean = Tensor::zeros({3}, DType::f64), running_var = Tensor::full({3}, 1.0, DType::f64);
  const std::vector<std::pair<const char*, Shape>> cases = {
      {"batch_norm", {2, 3, 4, 5}}, {"batch_norm", {6, 3}}, {"instance_norm", {2, 3, 4, 5}}};
  for (const auto& [op, shape] : cases) {
    INFO(op << " " << shape_str(shape));
    Variable x = random_input(shape, 81, -2.0, 2.0);
    Variable weight(Tensor::from_values({0.5, 0.0, -1.5}, {3}, DType::f64), true);
    Variable bias = random_input({3}, 82);
    Variable projection(random_tensor(shape, 83));
    auto loss_of = [&](const Variable& input, const Variable& w, const Variable& b) {
      Variable y = std::string(op) == "batch_norm" ? batch_norm(input, w, b, running_mean, running_var, true, 0.1, 1e-5)
                                                   : instance_norm(input, w, b, 1e-5);
      return sum(y * projection);
    };
    VariableList fused = grad({loss_of(x, weight, bias)}, {x, weight, bias}, {}, /*create_graph=*/false);
    VariableList composed = grad({loss_of(x, weight, bias)}, {x, weight, bias}, {}, /*create_graph=*/true);
    CHECK(composed[0].requires_grad());  // recorded: the composition ran, not the kernel
    for (size_t i = 0; i < 3; ++i) {
      INFO("input " << i);
      CHECK_FALSE(fused[i].requires_grad());
      check_close(fused[i].data(), composed[i].data().to_vector(), 1e-12);
    }
    // Only the weight needs a gradient (x a constant): the kernel skips dx, the rest is unchanged.
    Variable constant_x(x.data());
    Tensor weight_only = grad({loss_of(constant_x, weight, bias)}, {weight}, {}, false)[0].data();
    check_close(weight_only, fused[1].data().to_vector(), 0);
  }
}
