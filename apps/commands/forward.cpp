// `dforge forward --net NAME --weights W.safetensors --input X.safetensors --out Y.safetensors
//  [--device cpu|cuda]`.
#include "apps/commands/forward.h"

#include <memory>

#include "autograd/grad_mode.h"
#include "models/nets/registry.h"
#include "runtime/error.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {

void run_forward(const ForwardArguments& arguments) {
  const Device device = Device::parse(arguments.device);
  const io::TensorFile weights = io::load_safetensors(arguments.weights);
  std::shared_ptr<Module> network = models::network_from_weights(arguments.net, weights.tensors, weights.path);
  const io::TensorFile input_file = io::load_safetensors(arguments.input);
  const Tensor& input = input_file.get("input");
  network->eval();
  network->to(device);
  NoGradGuard no_grad;
  Variable output;
  try {
    output = network->forward(Variable(input.to(DType::f32).to(device)));
  } catch (const Error& error) {
    throw Error(concat(arguments.input, ": ", error.what()));
  }
  io::save_safetensors(arguments.out, {{"output", output.data()}});
}

void add_forward_command(CLI::App& app) {
  auto arguments = std::make_shared<ForwardArguments>();
  std::string networks;
  for (const std::string& name : models::registered_networks()) networks += (networks.empty() ? "" : ", ") + name;
  CLI::App* command = app.add_subcommand(
      "forward",
      "Run one network in eval mode on a tensor: reads the state dict (PyTorch names, sizes inferred "
      "from the shapes), the tensor 'input' of --input, and writes the tensor 'output' to --out");
  command->add_option("--net", arguments->net, "Network: " + networks)
      ->required()
      ->check(CLI::IsMember(models::registered_networks()));
  command->add_option("--weights", arguments->weights, "Safetensors state dict of the network")->required();
  command->add_option("--input", arguments->input, "Safetensors file with the tensor 'input', [N, C, H, W]")
      ->required();
  command->add_option("--out", arguments->out, "Safetensors file to write (atomically) with the tensor 'output'")
      ->required();
  command->add_option("--device", arguments->device, "cpu or cuda")->capture_default_str();
  command->callback([arguments] { run_forward(*arguments); });
}

}  // namespace dforge::apps
