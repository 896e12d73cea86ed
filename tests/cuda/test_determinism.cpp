// Deterministic by construction (issue 3, item 5): three training steps of a small conv net (the
// layers/ modules) run twice from the same seed give bit-identical weights and buffers on the GPU;
// the same steps agree with the CPU to 1e-4.
// The step touches every kernel family a GAN step uses: conv, transposed conv, spectral norm,
// instance and batch norm, dropout (Philox), reflect padding, pooling, bilinear upsampling (whose
// backward PyTorch cannot make deterministic on CUDA), softmax, reductions, Adam and SGD.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/pool.h"
#include "autograd/reduce.h"
#include "autograd/resize.h"
#include "autograd/softmax.h"
#include "layers/activations.h"
#include "layers/conv.h"
#include "layers/norm.h"
#include "layers/optimizer.h"
#include "layers/sequential.h"
#include "runtime/cuda/conv_mode.h"
#include "runtime/random.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;

namespace {

// A small image-to-image net from the layers a GAN uses: spectrally normalised conv with reflect
// padding, strided conv, instance norm, dropout, transposed conv, batch norm, 1x1 conv.
std::shared_ptr<Sequential> make_net(Generator& generator) {
  auto net = std::make_shared<Sequential>();
  auto first = net->add(std::make_shared<Conv2d>(
      3, 8, 3, Conv2dOptions{.padding = 1, .padding_mode = PadMode::reflect}, generator));
  first->apply_spectral_norm(generator);
  net->add(std::make_shared<LeakyReLU>(0.2));
  net->add(std::make_shared<Conv2d>(8, 16, 4, Conv2dOptions{.stride = 2, .padding = 1}, generator));
  net->add(std::make_shared<InstanceNorm2d>(16, 1e-5, true));
  net->add(std::make_shared<LeakyReLU>(0.2));
  net->add(std::make_shared<Dropout>(0.1, generator));
  net->add(std::make_shared<ConvTranspose2d>(16, 8, 4, ConvTranspose2dOptions{.stride = 2, .padding = 1},
                                             generator));
  net->add(std::make_shared<BatchNorm2d>(8));
  net->add(std::make_shared<ReLU>());
  net->add(std::make_shared<Conv2d>(8, 4, 1, Conv2dOptions{}, generator));
  return net;
}

// Three training steps (Adam, or SGD with momentum) of a per-pixel cross-entropy on the net's
// scores blended with their pooled and bilinearly upsampled copy; returns the final state dict
// (parameters and buffers: running statistics, spectral-norm vectors) on the host.
NamedTensors train(Device device, bool use_adam) {
  Generator generator(2024);
  const std::shared_ptr<Sequential> net = make_net(generator);
  net->to(device);
  Adam adam(net->named_parameters(), {.lr = 1e-2});
  Sgd sgd(net->named_parameters(), {.lr = 1e-2, .momentum = 0.9});
  Optimizer& optimizer = use_adam ? static_cast<Optimizer&>(adam) : static_cast<Optimizer&>(sgd);
  Generator data(7);
  Tensor images = Tensor::empty({2, 3, 32, 32}, DType::f32, device);
  Tensor targets = Tensor::empty({2, 4, 32, 32}, DType::f32, device);
  runtime::fill_normal(images, 0.0, 1.0, data);
  runtime::fill_uniform(targets, 0.0, 1.0, data);
  for (int step = 0; step < 3; ++step) {
    optimizer.zero_grad();
    const Variable scores = net->forward(Variable(images));
    const Variable pooled = avg_pool2d(max_pool2d(scores, 2, 2), 3, 1, 1);
    const Variable blended = scores + upsample(pooled, 32, 32, UpsampleMode::bilinear, false);
    const Variable loss = -mean(sum(Variable(targets) * log_softmax(blended, 1), {1}));
    backward(loss);
    optimizer.step();
  }
  NamedTensors state;
  for (const auto& [name, tensor] : net->state_dict()) state.emplace_back(name, tensor.to(Device::cpu()));
  return state;
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
