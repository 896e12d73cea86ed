// CUDA fused SGD and Adam/RAdam updates against the CPU: several steps with every option, the
// parameter and every state tensor compared after each step; then whole groups (one launch over
// many tensors of odd sizes, an empty one and ones spanning several chunks), against the CPU and,
// bit for bit, against updating each member alone on the device.
#include <catch2/catch.hpp>

#include <utility>

#include "runtime/optimizer_update.h"
#include "tests/cuda/device_compare.h"
#include "tests/support/adam_rule_steps.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("cuda sgd updates agree with the cpu", "[cuda][optimizer]") {
  const std::pair<SgdStep, bool> steps[] = {  // the step and whether the momentum buffer starts
      {{.lr = 0.1}, false},
      {{.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01}, true},
      {{.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01}, false},
      {{.lr = 0.02, .momentum = 0.8, .weight_decay = 0.001, .nesterov = true}, false},
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
            for (const auto& [step, first_step] : steps) {
              runtime::sgd_update({{values, in[1], momentum, first_step}}, step);
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
              runtime::adam_update({{values, in[1], exp_avg, exp_avg_sq}}, step);
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

namespace {

// A group of odd sizes, empty tensors, and members of one chunk exactly, one element more, and
// several chunks (the CUDA kernel's chunks are 8192 elements; PyTorch's are 65536), then enough
// small members (biases) that the group takes three launches of 48 members.
const std::vector<Shape> kGroupShapes = [] {
  std::vector<Shape> shapes = {{3, 5}, {0}, {1}, {8192}, {8193}, {70001}, {2, 0, 4}, {64, 3, 3, 3}, {1023}};
  for (int64_t i = 0; i < 100; ++i) shapes.push_back({1 + (i * 37) % 300});
  return shapes;
}();

// Inputs of a group as one flat list, per_member tensors for each member in order: parameter,
// gradient, then the momentum buffer (3) or exp_avg and exp_avg_sq (4).
std::vector<Tensor> group_inputs(DType dtype, int per_member) {
  std::vector<Tensor> inputs;
  for (size_t i = 0; i < kGroupShapes.size(); ++i) {
    const uint64_t seed = 100 + 10 * i;
    inputs.push_back(random_input(kGroupShapes[i], seed, dtype));      // parameter
    inputs.push_back(random_input(kGroupShapes[i], seed + 1, dtype));  // gradient
    inputs.push_back(random_input(kGroupShapes[i], seed + 2, dtype, -0.1, 0.1));
    if (per_member == 4) inputs.push_back(random_input(kGroupShapes[i], seed + 3, dtype, 0, 0.01));
  }
  return inputs;
}

// Runs `steps` SGD updates over the group held in `in` (parameter, gradient, momentum buffer per
// member), as one group or as groups of one; returns every parameter and buffer at the end.
std::vector<Tensor> sgd_group_run(const std::vector<Tensor>& in, const std::vector<SgdStep>& steps, bool together) {
  std::vector<SgdTensors> group;
  for (size_t i = 0; i < in.size(); i += 3) {
    group.push_back({in[i].clone(), in[i + 1], in[i + 2].clone(), false});
  }
  for (size_t s = 0; s < steps.size(); ++s) {
    // Members start their buffers at different steps (a parameter whose first gradient came later).
    for (size_t i = 0; i < group.size(); ++i) group[i].first_step = s == i % 2;
    if (together) {
      runtime::sgd_update(group, steps[s]);
    } else {
      for (const SgdTensors& member : group) runtime::sgd_update({member}, steps[s]);
    }
  }
  std::vector<Tensor> out;
  for (const SgdTensors& member : group) {
    out.push_back(member.parameter);
    out.push_back(member.momentum_buffer);
  }
  return out;
}

std::vector<Tensor> adam_group_run(const std::vector<Tensor>& in, const std::vector<AdamStep>& steps, bool together) {
  std::vector<AdamTensors> group;
  for (size_t i = 0; i < in.size(); i += 4) {
    group.push_back({in[i].clone(), in[i + 1], in[i + 2].clone(), in[i + 3].clone()});
  }
  for (const AdamStep& step : steps) {
    if (together) {
      runtime::adam_update(group, step);
    } else {
      for (const AdamTensors& member : group) runtime::adam_update({member}, step);
    }
  }
  std::vector<Tensor> out;
  for (const AdamTensors& member : group) {
    out.push_back(member.parameter);
    out.push_back(member.exp_avg);
    out.push_back(member.exp_avg_sq);
  }
  return out;
}

// Every output of the group update is bit for bit the one of the groups of one, on the device.
void check_same_bits(const std::vector<Tensor>& together, const std::vector<Tensor>& alone) {
  REQUIRE(together.size() == alone.size());
  for (size_t k = 0; k < together.size(); ++k) {
    INFO("output " << k << ": " << together[k].describe());
    CHECK(together[k].device() == testing::target_device());
    CHECK(testing::identical_bits(together[k], alone[k]));
  }
}

}  // namespace

TEST_CASE("cuda group sgd updates agree with the cpu and with groups of one", "[cuda][optimizer]") {
  const std::vector<SgdStep> steps = {
      {.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01},
      {.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01},
      {.lr = 0.02, .momentum = 0.8, .weight_decay = 0.001, .nesterov = true},
  };
  for (DType dtype : {DType::f32, DType::f64}) {
    const std::vector<Tensor> inputs = group_inputs(dtype, 3);
    CHECK_DEVICES_AGREE(
        concat("sgd group ", dtype_name(dtype)),
        [&](const std::vector<Tensor>& in) { return sgd_group_run(in, steps, true); }, inputs,
        dtype == DType::f32 ? 1e-5 : 1e-12);
    const std::vector<Tensor> on_device = testing::to_device(inputs, testing::target_device());
    check_same_bits(sgd_group_run(on_device, steps, true), sgd_group_run(on_device, steps, false));
  }
}

TEST_CASE("cuda group adam and radam updates agree with the cpu and with groups of one", "[cuda][optimizer]") {
  const std::vector<AdamStep> steps = testing::adam_rule_steps();
  for (DType dtype : {DType::f32, DType::f64}) {
    const std::vector<Tensor> inputs = group_inputs(dtype, 4);
    CHECK_DEVICES_AGREE(
        concat("adam group ", dtype_name(dtype)),
        [&](const std::vector<Tensor>& in) { return adam_group_run(in, steps, true); }, inputs,
        dtype == DType::f32 ? 1e-5 : 1e-12);
    const std::vector<Tensor> on_device = testing::to_device(inputs, testing::target_device());
    check_same_bits(adam_group_run(on_device, steps, true), adam_group_run(on_device, steps, false));
  }
}
