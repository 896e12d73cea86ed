// CUDA fused SGD and Adam/RAdam updates against the CPU: several steps with every option, the
// parameter and every state tensor compared after each step.
#include <catch2/catch.hpp>

#include "runtime/optimizer_update.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("cuda sgd updates agree with the cpu", "[cuda][optimizer]") {
  const SgdStep steps[] = {
      {.lr = 0.1},
      {.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01, .first_step = true},
      {.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01},
      {.lr = 0.02, .momentum = 0.8, .weight_decay = 0.001, .nesterov = true},
  };
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const Shape& shape : std::vector<Shape>{{1}, {1023}, {64, 3, 3, 3}}) {
      const Tensor parameter = random_input(shape, 51, dtype), grad = random_input(shape, 52, dtype);
      const Tensor buffer = random_input(shape, 53, dtype);
      CHECK_DEVICES_AGREE(
          concat("sgd ", parameter.describe()),
          [&](const std::vector<Tensor>& in) {
            Tensor values = in[0].clone(), momentum = in[2].clone();
            std::vector<Tensor> states;
            for (const SgdStep& step : steps) {
              runtime::sgd_update(values, in[1], momentum, step);
              states.push_back(values.clone());
              states.push_back(momentum.clone());
            }
            return states;
          },
          {parameter, grad, buffer}, dtype == DType::f32 ? 1e-5 : 1e-12);
    }
  }
}

TEST_CASE("cuda adam and radam updates agree with the cpu", "[cuda][optimizer]") {
  const AdamStep steps[] = {
      {.rule = AdamRule::adam,
       .lr = 1e-2,
       .beta1 = 0.9,
       .beta2 = 0.999,
       .eps = 1e-8,
       .weight_decay = 0.0,
       .bias_correction1 = 0.1,
       .bias_correction2 = 0.001},
      {.rule = AdamRule::adam,
       .lr = 1e-2,
       .beta1 = 0.9,
       .beta2 = 0.999,
       .eps = 1e-8,
       .weight_decay = 0.01,
       .bias_correction1 = 0.19,
       .bias_correction2 = 0.001999},
      {.rule = AdamRule::radam_plain,
       .lr = 1e-3,
       .beta1 = 0.9,
       .beta2 = 0.999,
       .eps = 1e-8,
       .bias_correction1 = 0.271,
       .bias_correction2 = 0.002997},
      {.rule = AdamRule::radam_rectified,
       .lr = 1e-3,
       .beta1 = 0.9,
       .beta2 = 0.999,
       .eps = 1e-8,
       .bias_correction1 = 0.5,
       .bias_correction2 = 0.006,
       .rectification = 0.03},
  };
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const Shape& shape : std::vector<Shape>{{1}, {1023}, {64, 3, 3, 3}}) {
      const Tensor parameter = random_input(shape, 54, dtype), grad = random_input(shape, 55, dtype);
      const Tensor first = random_input(shape, 56, dtype, -0.1, 0.1),
                   second = random_input(shape, 57, dtype, 0, 0.01);
      CHECK_DEVICES_AGREE(
          concat("adam ", parameter.describe()),
          [&](const std::vector<Tensor>& in) {
            Tensor values = in[0].clone(), exp_avg = in[2].clone(), exp_avg_sq = in[3].clone();
            std::vector<Tensor> states;
            for (const AdamStep& step : steps) {
              runtime::adam_update(values, in[1], exp_avg, exp_avg_sq, step);
              states.push_back(values.clone());
              states.push_back(exp_avg.clone());
              states.push_back(exp_avg_sq.clone());
            }
            return states;
          },
          {parameter, grad, first, second}, dtype == DType::f32 ? 1e-5 : 1e-12);
    }
  }
}
