// Deterministic by construction (issue 3, item 5): three training steps of a small conv net run
// twice from the same seed give bit-identical weights on the GPU; the same steps agree with the
// CPU to 1e-4.
// The net touches every kernel family a GAN step uses: conv, transposed conv, instance norm,
// leaky ReLU, pooling, bilinear upsampling (whose backward PyTorch cannot make deterministic),
// padding, softmax, reductions and Adam.
#include <catch2/catch.hpp>

#include "autograd/conv.h"
#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/norm.h"
#include "autograd/pad.h"
#include "autograd/pool.h"
#include "autograd/reduce.h"
#include "autograd/resize.h"
#include "autograd/softmax.h"
#include "layers/optimizer.h"
#include "runtime/cuda/conv_mode.h"
#include "runtime/random.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;

namespace {

struct SmallNet {
  NamedVariables parameters;

  Variable parameter(const std::string& name, const Shape& shape, double scale, Generator& generator,
                     Device device) {
    Tensor values = Tensor::empty(shape, DType::f32, device);
    runtime::fill_normal(values, 0.0, scale, generator);
    Variable variable(values, true);
    parameters.emplace_back(name, variable);
    return variable;
  }

  Variable conv1, bias1, conv2, up, norm_weight, norm_bias;

  SmallNet(uint64_t seed, Device device) {
    Generator generator(seed);
    conv1 = parameter("conv1.weight", {8, 3, 3, 3}, 0.2, generator, device);
    bias1 = parameter("conv1.bias", {8}, 0.1, generator, device);
    conv2 = parameter("conv2.weight", {16, 8, 4, 4}, 0.1, generator, device);
    norm_weight = parameter("norm.weight", {16}, 0.1, generator, device);
    norm_bias = parameter("norm.bias", {16}, 0.1, generator, device);
    up = parameter("up.weight", {16, 4, 4, 4}, 0.1, generator, device);
  }

  // x [N, 3, 32, 32] -> class scores [N, 4, 32, 32]
  Variable forward(const Variable& x) const {
    Variable h = leaky_relu(conv2d(pad2d(x, 1, 1, 1, 1, PadMode::reflect), conv1, bias1), 0.2);
    h = conv2d(h, conv2, Variable(), {.stride = 2, .padding = 1});  // 16 x 16
    h = leaky_relu(instance_norm(h, norm_weight + 1.0, norm_bias, 1e-5), 0.2);
    h = avg_pool2d(max_pool2d(h, 2, 2), 3, 1, 1);  // 8 x 8
    h = upsample(h, 16, 16, UpsampleMode::bilinear, false);
    return conv_transpose2d(h, up, Variable(), {.stride = 2, .padding = 1});  // 32 x 32
  }
};

// Three training steps (Adam, or SGD with momentum) on a per-pixel cross-entropy; returns the
// final weights on the host.
NamedTensors train(Device device, bool use_adam) {
  SmallNet net(2024, device);
  Adam adam(net.parameters, {.lr = 1e-2});
  Sgd sgd(net.parameters, {.lr = 1e-2, .momentum = 0.9});
  Optimizer& optimizer = use_adam ? static_cast<Optimizer&>(adam) : static_cast<Optimizer&>(sgd);
  Generator data(7);
  Tensor images = Tensor::empty({2, 3, 32, 32}, DType::f32, device);
  Tensor targets = Tensor::empty({2, 4, 32, 32}, DType::f32, device);
  runtime::fill_normal(images, 0.0, 1.0, data);
  runtime::fill_uniform(targets, 0.0, 1.0, data);
  for (int step = 0; step < 3; ++step) {
    optimizer.zero_grad();
    const Variable scores = net.forward(Variable(images));
    const Variable loss = -mean(sum(Variable(targets) * log_softmax(scores, 1), {1}));
    backward(loss);
    optimizer.step();
  }
  NamedTensors weights;
  for (const auto& [name, variable] : net.parameters)
    weights.emplace_back(name, variable.data().to(Device::cpu()));
  return weights;
}

}  // namespace

TEST_CASE("cuda training is bit-identical from run to run", "[cuda][determinism]") {
  std::vector<cuda::ConvMode> modes = {cuda::ConvMode::native};
  if (cuda::cudnn_built()) modes.push_back(cuda::ConvMode::cudnn);
  for (cuda::ConvMode mode : modes) {
    cuda::set_conv_mode(mode);
    INFO("convolutions by " << (mode == cuda::ConvMode::native ? "native kernels" : "cuDNN"));
    const NamedTensors first = train(testing::target_device(), true);
    const NamedTensors second = train(testing::target_device(), true);
    REQUIRE(first.size() == second.size());
    for (size_t k = 0; k < first.size(); ++k) {
      INFO(first[k].first);
      CHECK(testing::identical_bits(first[k].second, second[k].second));
    }
  }
  cuda::set_conv_mode(cuda::ConvMode::native);
}

// SGD for the comparison with the CPU: Adam's first steps move each weight by about lr times the
// sign of its gradient, so a gradient that is zero up to rounding could flip a weight by 2 lr.
TEST_CASE("cuda training agrees with the cpu", "[cuda][determinism]") {
  const NamedTensors gpu = train(testing::target_device(), false);
  const NamedTensors cpu = train(Device::cpu(), false);
  REQUIRE(gpu.size() == cpu.size());
  for (size_t k = 0; k < gpu.size(); ++k) {
    const testing::Comparison comparison = testing::compare_tensors(cpu[k].second, gpu[k].second, 1e-4, 1e-4);
    INFO(gpu[k].first << ": " << comparison.report);
    CHECK(comparison.ok);
  }
}
