#include <catch2/catch.hpp>

#include "layers/activations.h"
#include "layers/conv.h"
#include "layers/norm.h"
#include "layers/sequential.h"

using namespace dforge;

namespace {
// conv -> norm -> relu -> conv, as a U-Net level would be written in PyTorch.
std::shared_ptr<Sequential> small_net(Generator& generator) {
  auto net = std::make_shared<Sequential>();
  net->add(std::make_shared<Conv2d>(3, 4, 3, Conv2dOptions{.padding = 1}, generator));
  net->add(std::make_shared<BatchNorm2d>(4));
  net->add(std::make_shared<ReLU>());
  net->add(std::make_shared<Conv2d>(4, 2, 1, Conv2dOptions{.bias = false}, generator));
  return net;
}

std::vector<std::string> names(const NamedTensors& tensors) {
  std::vector<std::string> out;
  for (auto& [name, tensor] : tensors) out.push_back(name);
  return out;
}
}  // namespace

TEST_CASE("state dict uses PyTorch's names and order", "[layers][module]") {
  Generator generator(1);
  auto net = small_net(generator);
  CHECK(names(net->state_dict()) ==
        std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                                 "1.num_batches_tracked", "3.weight"});
  CHECK(net->parameters().size() == 5);
}

TEST_CASE("load_state_dict copies values and rejects missing, extra and mis-shaped tensors", "[layers][module]") {
  Generator first_generator(1), second_generator(2);
  auto first = small_net(first_generator), second = small_net(second_generator);
  second->load_state_dict(first->state_dict());
  auto a = first->state_dict(), b = second->state_dict();
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].second.to_vector() == b[i].second.to_vector());
  CHECK_FALSE(a[0].second.shares_storage(b[0].second));  // copies, not aliases

  NamedTensors missing(a.begin() + 1, a.end());
  CHECK_THROWS_WITH(second->load_state_dict(missing, "w.safetensors"),
                    Catch::Contains("w.safetensors: missing tensor '0.weight'"));
  NamedTensors extra = a;
  extra.emplace_back("9.weight", Tensor::zeros({1}));
  CHECK_THROWS_WITH(second->load_state_dict(extra), Catch::Contains("unexpected tensor '9.weight'"));
  NamedTensors misshaped = a;
  misshaped[0].second = Tensor::zeros({4, 3, 5, 5});
  CHECK_THROWS_WITH(second->load_state_dict(misshaped),
                    Catch::Contains("'0.weight' has shape [4, 3, 5, 5], the model expects [4, 3, 3, 3]"));
}

TEST_CASE("a failed load leaves the model untouched", "[layers][module]") {
  Generator first_generator(1), second_generator(2);
  auto first = small_net(first_generator), second = small_net(second_generator);
  auto before = second->state_dict()[0].second.to_vector();
  NamedTensors bad = first->state_dict();
  bad.back().second = Tensor::zeros({7});
  CHECK_THROWS(second->load_state_dict(bad));
  CHECK(second->state_dict()[0].second.to_vector() == before);
}

TEST_CASE("train and eval reach every submodule", "[layers][module]") {
  Generator generator(1);
  auto net = small_net(generator);
  net->eval();
  CHECK_FALSE((*net)[1].is_training());
  net->train();
  CHECK((*net)[1].is_training());
}

TEST_CASE("spectral norm renames the weight and adds u, v buffers", "[layers][spectral_norm]") {
  Generator generator(3);
  Conv2d conv(3, 4, 4, Conv2dOptions{.stride = 2, .padding = 1}, generator);
  conv.apply_spectral_norm(generator);
  CHECK(names(conv.state_dict()) == std::vector<std::string>{"weight_orig", "bias", "weight_u", "weight_v"});
  CHECK(conv.state_dict()[2].second.shape() == Shape{4});
  CHECK(conv.state_dict()[3].second.shape() == Shape{48});
}

TEST_CASE("spectral norm: repeated power iterations converge to the largest singular value", "[layers][spectral_norm]") {
  // A linear layer with weight diag(3, 1) (2x2): sigma -> 3, so the normalised weight -> diag(1, 1/3).
  Generator generator(4);
  Linear layer(2, 2, false, generator);
  layer.weight.set_data(Tensor::from_values({3, 0, 0, 1}, {2, 2}));
  layer.apply_spectral_norm(generator);
  Variable normalized;
  for (int i = 0; i < 30; ++i) normalized = layer.effective_weight();
  auto values = normalized.data().to_vector();
  CHECK(values[0] == Approx(1.0).epsilon(1e-5));
  CHECK(values[3] == Approx(1.0 / 3).epsilon(1e-5));
  layer.eval();  // eval: no iteration, the stored vectors give the same sigma
  CHECK(layer.effective_weight().data().to_vector()[0] == Approx(1.0).epsilon(1e-5));
}

TEST_CASE("layers refuse non-positive sizes, naming the layer and the shape", "[layers][module]") {
  Generator generator(1);
  CHECK_THROWS_WITH(Conv2d(3, 0, 3, {}, generator),
                    Catch::Contains("Conv2d: sizes must be positive, got weight shape [0, 3, 3, 3]"));
  CHECK_THROWS_WITH(ConvTranspose2d(4, 2, -1, {}, generator), Catch::Contains("ConvTranspose2d: sizes must be positive"));
  CHECK_THROWS_WITH(Linear(0, 5, true, generator), Catch::Contains("Linear: sizes must be positive, got weight shape [5, 0]"));
}
