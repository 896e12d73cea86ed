// The CycleGAN backbones (models/nets/): output shapes, state-dict names against the reference's
// layout (worked out by hand from junyanz/pytorch-CycleGAN-and-pix2pix networks.py), options
// inferred back from the weights, strict loading, the PatchGAN geometry, and `dforge forward`.
// Values are checked against PyTorch in tests/parity/test_nets.py.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "apps/commands/forward.h"
#include "autograd/grad_mode.h"
#include "models/nets/init.h"
#include "models/nets/patchgan.h"
#include "models/nets/registry.h"
#include "models/nets/resnet_generator.h"
#include "models/nets/unet_generator.h"
#include "runtime/io/safetensors.h"
#include "tests/support/gradcheck.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::models;

namespace {

Variable random_image(const Shape& shape, uint64_t seed) {
  return Variable(testing::random_tensor(shape, seed, -1.0, 1.0, DType::f32));
}

std::vector<std::string> names_of(const NamedTensors& tensors) {
  std::vector<std::string> names;
  for (const auto& [name, tensor] : tensors) names.push_back(name);
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Shape shape_of(const NamedTensors& tensors, const std::string& name) {
  for (const auto& [key, tensor] : tensors) {
    if (key == name) return tensor.shape();
  }
  FAIL("no tensor " << name);
  return {};
}

// The message network_from_weights throws for `weights`, or "" when it loads.
std::string load_error(const std::string& network, const NamedTensors& weights) {
  try {
    network_from_weights(network, weights, "weights.safetensors");
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

UnetOptions small_unet(NormKind norm) {
  return UnetOptions{.in_channels = 3, .out_channels = 2, .num_downs = 5, .ngf = 4, .norm = norm};
}

}  // namespace

TEST_CASE("UnetGenerator: shape, reference names, inferred options", "[models][nets]") {
  Generator generator(1);
  SECTION("instance norm: every conv has a bias, no norm tensors") {
    UnetGenerator unet(small_unet(NormKind::instance), generator);
    NamedTensors state = unet.state_dict();
    std::vector<std::string> names = names_of(state);
    // 5 levels x (down conv + up conv) x (weight + bias).
    CHECK(names.size() == 20);
    CHECK(names.front() == "model.model.0.weight");
    CHECK(names.back() == "model.model.3.bias");
    CHECK(shape_of(state, "model.model.0.weight") == Shape{4, 3, 4, 4});
    CHECK(shape_of(state, "model.model.3.weight") == Shape{8, 2, 4, 4});
    CHECK(shape_of(state, "model.model.1.model.1.weight") == Shape{8, 4, 4, 4});
    // Innermost (level 5): [LeakyReLU, Conv, ReLU, ConvT, norm], 8 ngf -> 8 ngf.
    CHECK(shape_of(state, "model.model.1.model.3.model.3.model.3.model.3.weight") == Shape{32, 32, 4, 4});
    CHECK(shape_of(state, "model.model.1.model.3.model.3.model.1.weight") == Shape{32, 16, 4, 4});

    unet.eval();
    NoGradGuard no_grad;
    CHECK(unet.forward(random_image({2, 3, 32, 32}, 2)).shape() == Shape{2, 2, 32, 32});

    UnetOptions inferred = infer_unet_options(state);
    CHECK(inferred.in_channels == 3);
    CHECK(inferred.out_channels == 2);
    CHECK(inferred.num_downs == 5);
    CHECK(inferred.ngf == 4);
    CHECK(inferred.norm == NormKind::instance);
  }
  SECTION("batch norm: convs before a norm lose their bias; norms add 5 tensors each") {
    UnetGenerator unet(small_unet(NormKind::batch), generator);
    NamedTensors state = unet.state_dict();
    std::vector<std::string> names = names_of(state);
    // outermost 1 + 2; 3 middle levels x (1 + 5 + 1 + 5); innermost 1 + 1 + 5.
    CHECK(names.size() == 46);
    CHECK(names.front() == "model.model.0.weight");
    CHECK(names.back() == "model.model.3.bias");
    CHECK_FALSE(contains(names, "model.model.0.bias"));
    CHECK(contains(names, "model.model.1.model.2.running_mean"));
    CHECK(contains(names, "model.model.1.model.3.model.3.model.3.model.4.num_batches_tracked"));
    UnetOptions inferred = infer_unet_options(state);
    CHECK(inferred.norm == NormKind::batch);
    CHECK(inferred.num_downs == 5);
  }
  SECTION("no norm, num_downs 7 and dropout round-trip the sizes") {
    UnetOptions options{.in_channels = 4, .out_channels = 4, .num_downs = 7, .ngf = 2, .norm = NormKind::none,
                        .dropout = true};
    UnetGenerator unet(options, generator);
    UnetOptions inferred = infer_unet_options(unet.state_dict());
    CHECK(inferred.in_channels == 4);
    CHECK(inferred.num_downs == 7);
    CHECK(inferred.ngf == 2);
    CHECK(inferred.norm == NormKind::none);
  }
  SECTION("a size not divisible by 2^num_downs is refused naming the shape") {
    UnetGenerator unet(small_unet(NormKind::instance), generator);
    unet.eval();
    NoGradGuard no_grad;
    REQUIRE_THROWS_WITH(unet.forward(random_image({1, 3, 48, 40}, 3)),
                        Catch::Contains("[1, 3, 48, 40]") && Catch::Contains("2^num_downs = 32"));
    REQUIRE_THROWS_WITH(unet.forward(random_image({1, 4, 32, 32}, 3)), Catch::Contains("4 channels"));
  }
}

TEST_CASE("ResnetGenerator: shape, reference names, inferred options", "[models][nets]") {
  Generator generator(4);
  ResnetOptions options{.in_channels = 3, .out_channels = 2, .ngf = 4, .blocks = 2, .norm = NormKind::instance};
  SECTION("instance norm") {
    ResnetGenerator resnet(options, generator);
    NamedTensors state = resnet.state_dict();
    std::vector<std::string> names = names_of(state);
    // convs: 7x7, 2 down, 2 x 2 in blocks, 2 up, 7x7 = 10, each weight + bias.
    CHECK(names.size() == 20);
    CHECK(names.front() == "model.1.weight");
    CHECK(names.back() == "model.19.bias");  // 17 + blocks
    CHECK(shape_of(state, "model.10.conv_block.1.weight") == Shape{16, 16, 3, 3});
    CHECK(shape_of(state, "model.11.conv_block.5.weight") == Shape{16, 16, 3, 3});
    CHECK(shape_of(state, "model.12.weight") == Shape{16, 8, 3, 3});  // ConvT [in, out, k, k]
    CHECK(shape_of(state, "model.19.weight") == Shape{2, 4, 7, 7});

    resnet.eval();
    NoGradGuard no_grad;
    CHECK(resnet.forward(random_image({1, 3, 16, 16}, 5)).shape() == Shape{1, 2, 16, 16});

    ResnetOptions inferred = infer_resnet_options(state);
    CHECK(inferred.in_channels == 3);
    CHECK(inferred.out_channels == 2);
    CHECK(inferred.ngf == 4);
    CHECK(inferred.blocks == 2);
    CHECK(inferred.norm == NormKind::instance);
    CHECK_FALSE(inferred.dropout);
  }
  SECTION("batch norm: 10 conv weights, the last conv's bias, 9 norms of 5 tensors") {
    options.norm = NormKind::batch;
    ResnetGenerator resnet(options, generator);
    std::vector<std::string> names = names_of(resnet.state_dict());
    CHECK(names.size() == 56);
    CHECK(names.back() == "model.19.bias");
    CHECK(contains(names, "model.10.conv_block.6.running_var"));
    ResnetOptions inferred = infer_resnet_options(resnet.state_dict());
    CHECK(inferred.norm == NormKind::batch);
    CHECK_FALSE(inferred.dropout);
  }
  SECTION("dropout moves the block's second conv to index 6") {
    options.dropout = true;
    ResnetGenerator resnet(options, generator);
    CHECK(contains(names_of(resnet.state_dict()), "model.10.conv_block.6.weight"));
    ResnetOptions inferred = infer_resnet_options(resnet.state_dict());
    CHECK(inferred.dropout);
    CHECK(inferred.blocks == 2);
  }
}

TEST_CASE("PatchGanDiscriminator: shape, reference names, inferred options, geometry", "[models][nets]") {
  Generator generator(6);
  SECTION("n_layers 3, instance norm") {
    PatchGanDiscriminator patchgan({.in_channels = 3, .ndf = 4, .n_layers = 3}, generator);
    NamedTensors state = patchgan.state_dict();
    std::vector<std::string> names = names_of(state);
    CHECK(names.size() == 10);  // convs at 0, 2, 5, 8, 11, weight + bias
    CHECK(names.front() == "model.0.weight");
    CHECK(names.back() == "model.11.bias");
    CHECK(shape_of(state, "model.8.weight") == Shape{32, 16, 4, 4});
    CHECK(shape_of(state, "model.11.weight") == Shape{1, 32, 4, 4});
    patchgan.eval();
    NoGradGuard no_grad;
    CHECK(patchgan.forward(random_image({2, 3, 32, 32}, 7)).shape() ==
          Shape{2, 1, patchgan_output_size(32, 3), patchgan_output_size(32, 3)});
    PatchGanOptions inferred = infer_patchgan_options(state);
    CHECK(inferred.in_channels == 3);
    CHECK(inferred.ndf == 4);
    CHECK(inferred.n_layers == 3);
    CHECK(inferred.norm == NormKind::instance);
    CHECK_FALSE(inferred.spectral_norm);
  }
  SECTION("n_layers 2, batch norm, spectral norm") {
    PatchGanOptions options{.in_channels = 4, .ndf = 4, .n_layers = 2, .norm = NormKind::batch, .spectral_norm = true};
    PatchGanDiscriminator patchgan(options, generator);
    std::vector<std::string> names = names_of(patchgan.state_dict());
    // 4 convs x (weight_orig, u, v) + 2 biases (first, last) + 2 batch norms x 5.
    CHECK(names.size() == 24);
    CHECK(contains(names, "model.0.weight_orig"));
    CHECK(contains(names, "model.8.weight_v"));
    CHECK(contains(names, "model.6.running_mean"));
    CHECK_FALSE(contains(names, "model.0.weight"));
    PatchGanOptions inferred = infer_patchgan_options(patchgan.state_dict());
    CHECK(inferred.in_channels == 4);
    CHECK(inferred.n_layers == 2);
    CHECK(inferred.norm == NormKind::batch);
    CHECK(inferred.spectral_norm);
  }
  SECTION("receptive field and output size") {
    CHECK(patchgan_receptive_field(1) == 16);
    CHECK(patchgan_receptive_field(2) == 34);
    CHECK(patchgan_receptive_field(3) == 70);
    CHECK(patchgan_output_size(256, 2) == 62);
    CHECK(patchgan_output_size(256, 3) == 30);
    CHECK_THROWS_WITH(patchgan_output_size(4, 3), Catch::Contains("too small"));
  }
}

TEST_CASE("init_cyclegan_weights: N(0, 0.02) weights, N(1, 0.02) batch-norm scales, zero biases", "[models][nets]") {
  Generator generator(11);
  ResnetGenerator resnet({.ngf = 8, .blocks = 1, .norm = NormKind::batch}, generator);
  for (const auto& [name, parameter] : resnet.named_parameters()) {
    INFO(name);
    const Tensor values = parameter.data().to(DType::f64);
    const double* data = values.data<double>();
    double sum = 0, sum_of_squares = 0;
    for (int64_t i = 0; i < values.numel(); ++i) {
      sum += data[i];
      sum_of_squares += data[i] * data[i];
    }
    const double n = double(values.numel());
    const double mean = sum / n, std = std::sqrt(std::max(sum_of_squares / n - mean * mean, 0.0));
    if (name.ends_with("bias")) {
      CHECK(sum_of_squares == 0);
    } else if (parameter.ndim() >= 2) {
      CHECK(std::abs(mean) < 0.01);
      if (n >= 1000) CHECK(std == Approx(0.02).epsilon(0.1));
    } else {
      CHECK(std::abs(mean - 1.0) < 0.03);
      CHECK(std < 0.05);
    }
  }
}

TEST_CASE("network_from_weights: strict loading names the tensor and the file", "[models][nets]") {
  Generator generator(8);
  UnetGenerator unet(small_unet(NormKind::instance), generator);
  const NamedTensors good = unet.state_dict();
  CHECK(load_error("unet", good).empty());

  SECTION("missing") {
    NamedTensors weights;
    for (const auto& entry : good) {
      if (entry.first != "model.model.1.model.1.bias") weights.push_back(entry);
    }
    CHECK_THAT(load_error("unet", weights),
               Catch::Contains("model.model.1.model.1.bias") && Catch::Contains("weights.safetensors"));
  }
  SECTION("missing tensor the sizes are read from") {
    NamedTensors weights(good.begin() + 1, good.end());
    CHECK_THAT(load_error("unet", weights),
               Catch::Contains("model.model.0.weight") && Catch::Contains("weights.safetensors"));
  }
  SECTION("extra") {
    NamedTensors weights = good;
    weights.emplace_back("model.model.9.weight", Tensor::zeros({2, 2}));
    CHECK_THAT(load_error("unet", weights), Catch::Contains("model.model.9.weight"));
  }
  SECTION("mis-shaped") {
    NamedTensors weights = good;
    for (auto& [name, tensor] : weights) {
      if (name == "model.model.1.model.1.weight") tensor = Tensor::zeros({8, 4, 3, 3});
    }
    CHECK_THAT(load_error("unet", weights),
               Catch::Contains("model.model.1.model.1.weight") && Catch::Contains("weights.safetensors"));
  }
  SECTION("unknown network lists the known ones") {
    CHECK_THAT(load_error("vgg", good), Catch::Contains("unet") && Catch::Contains("resnet_gen") &&
                                            Catch::Contains("patchgan"));
  }
  SECTION("resnet and patchgan load their own state dicts") {
    ResnetGenerator resnet({.ngf = 2, .blocks = 1}, generator);
    CHECK(load_error("resnet_gen", resnet.state_dict()).empty());
    PatchGanDiscriminator patchgan({.ndf = 2, .n_layers = 1, .spectral_norm = true}, generator);
    CHECK(load_error("patchgan", patchgan.state_dict()).empty());
  }
}

TEST_CASE("dforge forward: runs a saved network on a saved tensor", "[models][nets][apps]") {
  testing::TemporaryDirectory directory;
  Generator generator(9);
  PatchGanDiscriminator patchgan({.in_channels = 3, .ndf = 4, .n_layers = 2}, generator);
  io::save_safetensors(directory.file("weights.safetensors"), patchgan.state_dict());
  const Variable input = random_image({1, 3, 40, 40}, 10);
  io::save_safetensors(directory.file("input.safetensors"), {{"input", input.data()}});
  apps::ForwardArguments arguments{.net = "patchgan",
                                   .weights = directory.file("weights.safetensors"),
                                   .input = directory.file("input.safetensors"),
                                   .out = directory.file("output.safetensors")};
  apps::run_forward(arguments);
  const Tensor output = io::load_safetensors(arguments.out).get("output");
  patchgan.eval();
  NoGradGuard no_grad;
  const Tensor expected = patchgan.forward(input).data();
  REQUIRE(output.shape() == expected.shape());
  const float* ours = output.data<float>();
  const float* theirs = expected.data<float>();
  for (int64_t i = 0; i < output.numel(); ++i) REQUIRE(ours[i] == Approx(theirs[i]).margin(1e-6));

  SECTION("wrong channel count") {
    io::save_safetensors(directory.file("bad.safetensors"), {{"input", Tensor::zeros({1, 2, 40, 40})}});
    arguments.input = directory.file("bad.safetensors");
    CHECK_THROWS_WITH(apps::run_forward(arguments), Catch::Contains("2 channels"));
  }
  SECTION("missing key") {
    io::save_safetensors(directory.file("bad.safetensors"), {{"image", Tensor::zeros({1, 3, 40, 40})}});
    arguments.input = directory.file("bad.safetensors");
    CHECK_THROWS_WITH(apps::run_forward(arguments), Catch::Contains("input"));
  }
}
