// parity_driver IN.safetensors OUT.safetensors
//
// The C++ half of the PyTorch parity suite (tests/parity/*.py). IN holds a case name and a JSON
// config as metadata, the module's state dict under "state.<name>", inputs "input0", "input1",
// ... and "grad_output". The driver builds the same layer, loads the state, runs forward and
// backward, and writes "output", "grad.input<i>", "grad.<parameter>" and the buffers after the
// forward ("state.<name>") to OUT for the script to compare with PyTorch. A layer case whose config
// has "dtype": "f64" is converted to double precision before its state is loaded.
#include <functional>
#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/pool.h"
#include "autograd/reduce.h"
#include "autograd/resize.h"
#include "autograd/shape_ops.h"
#include "autograd/softmax.h"
#include "layers/adain.h"
#include "layers/conv.h"
#include "layers/gradient_penalty.h"
#include "layers/losses.h"
#include "layers/noise_injection.h"
#include "layers/norm.h"
#include "layers/optimizer.h"
#include "layers/spade.h"
#include "models/inspect/autoencoder.h"
#include "models/nets/resnet.h"
#include "runtime/io/safetensors.h"
#include "tests/parity/defectgan_cases.h"
#include "tests/parity/metrics_cases.h"
#include "tests/parity/seggan_cases.h"

using namespace dforge;
using json = nlohmann::json;

namespace {

// A module plus how to call it with the case's inputs.
struct Subject {
  std::shared_ptr<Module> module;
  std::function<Variable(const VariableList&)> call;
};

PadMode pad_mode(const std::string& name) {
  if (name == "zeros") return PadMode::zeros;
  if (name == "reflect") return PadMode::reflect;
  if (name == "replicate") return PadMode::replicate;
  throw Error("parity_driver: unknown padding mode " + name);
}

template <typename M>
Subject single_input(std::shared_ptr<M> module) {
  return {module, [module](const VariableList& x) { return module->forward(x[0]); }};
}

Subject build_layer(const std::string& name, const json& c, Generator& generator) {
  if (name == "conv2d") {
    Conv2dOptions options{c["stride"], c["padding"], c["dilation"], c["bias"], pad_mode(c["padding_mode"])};
    auto conv = std::make_shared<Conv2d>(c["in_channels"], c["out_channels"], c["kernel_size"], options, generator);
    if (c.value("spectral_norm", false)) conv->apply_spectral_norm(generator);
    return single_input(conv);
  }
  if (name == "conv_transpose2d") {
    ConvTranspose2dOptions options{c["stride"], c["padding"], c["output_padding"], 1, c["bias"]};
    auto conv = std::make_shared<ConvTranspose2d>(c["in_channels"], c["out_channels"], c["kernel_size"], options,
                                                  generator);
    if (c.value("spectral_norm", false)) conv->apply_spectral_norm(generator);
    return single_input(conv);
  }
  if (name == "linear") return single_input(std::make_shared<Linear>(c["in_features"], c["out_features"], c["bias"], generator));
  if (name == "batch_norm") return single_input(std::make_shared<BatchNorm2d>(c["channels"], c["eps"], c["momentum"], c["affine"]));
  if (name == "instance_norm") return single_input(std::make_shared<InstanceNorm2d>(c["channels"], 1e-5, c["affine"]));
  if (name == "adain") {
    auto layer = std::make_shared<AdaIN>(c["style_dim"], c["channels"], generator);
    return {layer, [layer](const VariableList& x) { return layer->forward(x[0], x[1]); }};
  }
  if (name == "spade") {
    auto layer = std::make_shared<Spade>(c["channels"], c["label_channels"], generator, SpadeNorm::instance,
                                         c["hidden"]);
    return {layer, [layer](const VariableList& x) { return layer->forward(x[0], x[1]); }};
  }
  if (name == "od_spade") {
    auto layer = std::make_shared<OdSpade>(c["channels"], c["code_dim"], c["height"], c["width"], generator);
    return {layer, [layer](const VariableList& x) { return layer->forward(x[0], x[1]); }};
  }
  if (name == "noise_injection") {
    auto layer = std::make_shared<NoiseInjection>(c["channels"], generator);
    return {layer, [layer](const VariableList& x) { return layer->forward_with_noise(x[0], x[1]); }};
  }
  if (name == "resnet") {
    models::ResNetOptions options{c["depth"], c["in_channels"], c["num_classes"], c.value("width", 64)};
    return single_input(std::make_shared<models::ResNet>(options, generator));
  }
  if (name == "autoencoder") {
    models::AutoencoderConfig options{c["in_channels"], models::ReconstructionLoss::l2, c["width"]};
    return single_input(std::make_shared<models::Autoencoder>(options, generator));
  }
  throw Error("parity_driver: unknown layer case '" + name + "'");
}

// The functional ops, by name.
Variable apply_functional(const json& c, const VariableList& x, const std::vector<Tensor>& raw) {
  const std::string op = c["op"];
  if (op == "relu") return relu(x[0]);
  if (op == "leaky_relu") return leaky_relu(x[0], c["slope"]);
  if (op == "tanh") return tanh(x[0]);
  if (op == "sigmoid") return sigmoid(x[0]);
  if (op == "avg_pool2d") return avg_pool2d(x[0], c["kernel"], c["stride"], c["padding"], c.value("count_include_pad", true));
  if (op == "max_pool2d") return max_pool2d(x[0], c["kernel"], c["stride"], c["padding"]);
  if (op == "adaptive_avg_pool2d") return adaptive_avg_pool2d(x[0], c["height"], c["width"]);
  if (op == "upsample") {
    UpsampleMode mode = c["mode"] == "nearest" ? UpsampleMode::nearest : UpsampleMode::bilinear;
    return upsample(x[0], c["height"], c["width"], mode, c.value("align_corners", false));
  }
  if (op == "pad2d") return pad2d(x[0], c["left"], c["right"], c["top"], c["bottom"], pad_mode(c["mode"]));
  if (op == "softmax") return softmax(x[0], c["axis"]);
  if (op == "log_softmax") return log_softmax(x[0], c["axis"]);
  if (op == "mse_loss") return mse_loss(x[0], x[1]);
  if (op == "l1_loss") return l1_loss(x[0], x[1]);
  if (op == "bce_with_logits") return bce_with_logits(x[0], x[1]);
  if (op == "cross_entropy") return cross_entropy(x[0], raw[1]);
  if (op == "lsgan_loss") return lsgan_loss(x[0], c["target"], x[1]);
  throw Error("parity_driver: unknown functional op '" + op + "'");
}

std::vector<Tensor> numbered(const io::TensorFile& file, const std::string& prefix) {
  std::vector<Tensor> tensors;
  for (int i = 0; file.contains(prefix + std::to_string(i)); ++i) tensors.push_back(file.get(prefix + std::to_string(i)));
  return tensors;
}

NamedTensors with_prefix(const io::TensorFile& file, const std::string& prefix) {
  NamedTensors out;
  for (const auto& [name, tensor] : file.tensors) {
    if (name.rfind(prefix, 0) == 0) out.emplace_back(name.substr(prefix.size()), tensor);
  }
  return out;
}

NamedTensors run_forward_backward(const io::TensorFile& in, const json& config, Subject subject) {
  std::vector<Tensor> raw = numbered(in, "input");
  std::vector<bool> differentiable = config.value("differentiable", std::vector<bool>(raw.size(), true));
  VariableList inputs;
  for (size_t i = 0; i < raw.size(); ++i) {
    bool wants_grad = differentiable[i] && is_floating(raw[i].dtype());
    inputs.emplace_back(raw[i].to(wants_grad ? raw[i].dtype() : raw[i].dtype()), wants_grad);
  }
  Variable output = subject.call(inputs);
  backward({output}, {Variable(in.get("grad_output"))});
  NamedTensors out = {{"output", output.data()}};
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].grad().defined()) out.emplace_back("grad.input" + std::to_string(i), inputs[i].grad().data());
  }
  if (subject.module) {
    for (auto& [name, parameter] : subject.module->named_parameters()) {
      if (parameter.grad().defined()) out.emplace_back("grad." + name, parameter.grad().data());
    }
    for (auto& [name, tensor] : subject.module->state_dict()) out.emplace_back("state." + name, tensor);
  }
  return out;
}

NamedTensors run_optimizer(const io::TensorFile& in, const json& c) {
  Variable parameter(in.get("parameter").clone(), true);
  NamedVariables named = {{"p", parameter}};
  std::unique_ptr<Optimizer> optimizer;
  const std::string kind = c["optimizer"];
  if (kind == "sgd") {
    optimizer = std::make_unique<Sgd>(named, SgdOptions{c["lr"], c["momentum"], c["dampening"], c["weight_decay"], c["nesterov"]});
  } else {
    AdamOptions options{c["lr"], c["beta1"], c["beta2"], c["eps"], c["weight_decay"]};
    if (kind == "adam") optimizer = std::make_unique<Adam>(named, options);
    else optimizer = std::make_unique<RAdam>(named, options);
  }
  for (int step = 0; step < int(c["steps"]); ++step) {
    parameter.set_grad(Variable(in.get("gradient" + std::to_string(step))));
    optimizer->step();
  }
  return {{"parameter", parameter.data()}};
}

// WGAN-GP (layers/gradient_penalty.h) through the critic of tests/parity/test_gradient_penalty.py.
NamedTensors run_gradient_penalty(const io::TensorFile& in, Generator& generator) {
  struct SmallCritic : Module {
    std::shared_ptr<Conv2d> conv1, conv2;
    std::shared_ptr<InstanceNorm2d> norm;
    std::shared_ptr<Linear> fc;
    explicit SmallCritic(Generator& g) {
      conv1 = register_module("conv1", std::make_shared<Conv2d>(3, 4, 3, Conv2dOptions{.stride = 2, .padding = 1}, g));
      norm = register_module("norm", std::make_shared<InstanceNorm2d>(4, 1e-5, true));
      conv2 = register_module("conv2", std::make_shared<Conv2d>(4, 6, 3, Conv2dOptions{.padding = 1}, g));
      fc = register_module("fc", std::make_shared<Linear>(6, 1, true, g));
    }
    Variable forward(const Variable& x) override {
      Variable h = leaky_relu(norm->forward(conv1->forward(x)), 0.2);
      h = leaky_relu(conv2->forward(h), 0.2);
      return fc->forward(flatten(adaptive_avg_pool2d(h, 1, 1), 1));
    }
  };
  SmallCritic critic(generator);
  critic.load_state_dict(with_prefix(in, "state."), "parity input");
  Variable penalty = gradient_norm_penalty([&](const Variable& x) { return critic.forward(x); }, in.get("input0"));
  VariableList parameters = critic.parameters();
  // Biases before a leaky ReLU only move its kink: the penalty does not depend on them smoothly.
  VariableList grads = grad({penalty}, parameters, {}, false, /*allow_unused=*/true);
  NamedTensors out = {{"output", penalty.data()}};
  auto named = critic.named_parameters();
  for (size_t i = 0; i < grads.size(); ++i) {
    Tensor gradient = grads[i].defined() ? grads[i].data() : Tensor::zeros(parameters[i].shape());
    out.emplace_back("grad." + named[i].first, gradient);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: parity_driver IN.safetensors OUT.safetensors\n";
    return 2;
  }
  try {
    io::TensorFile in = io::load_safetensors(argv[1]);
    const json config = json::parse(in.metadata.at("config"));
    const std::string name = config.at("case");
    Generator generator(0);
    NamedTensors out;
    if (parity::is_metrics_case(name)) {
      out = parity::run_metrics_case(name, in, config);
    } else if (name == "seggan_step") {
      out = parity::run_seggan_step_case(in, config);
    } else if (name == "defectgan_step") {
      out = parity::run_defectgan_step_case(in, config);
    } else if (name == "functional") {
      std::vector<Tensor> raw = numbered(in, "input");
      out = run_forward_backward(in, config, {nullptr, [&](const VariableList& x) { return apply_functional(config, x, raw); }});
    } else if (name == "optimizer") {
      out = run_optimizer(in, config);
    } else if (name == "gradient_penalty") {
      out = run_gradient_penalty(in, generator);
    } else {
      Subject subject = build_layer(name, config, generator);
      // "dtype": "f64" runs the layer in double precision (the state is converted on loading, the
      // inputs and grad_output come as f64): a check of the math free of f32 rounding.
      const std::string dtype = config.value("dtype", std::string("f32"));
      DFORGE_CHECK(dtype == "f32" || dtype == "f64", "parity_driver: dtype '", dtype, "' is not f32 or f64");
      if (dtype == "f64") subject.module->to(DType::f64);
      subject.module->load_state_dict(with_prefix(in, "state."), argv[1]);
      subject.module->train(config.value("training", true));
      out = run_forward_backward(in, config, subject);
    }
    io::save_safetensors(argv[2], out);
  } catch (const std::exception& error) {
    std::cerr << "parity_driver: " << error.what() << "\n";
    return 2;
  }
  return 0;
}
