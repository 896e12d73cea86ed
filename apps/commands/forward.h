// `dforge forward`: runs one backbone (models/nets/registry.h) in eval mode on a tensor stored in
// a safetensors file and writes the result to another; the PyTorch parity suite drives it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace dforge::apps {

struct ForwardArguments {
  std::string net;      // a name from models::registered_networks()
  std::string weights;  // safetensors state dict with the reference's names
  std::string input;    // safetensors file holding the tensor "input", [N, C, H, W]
  std::string out;      // safetensors file to write with the tensor "output"
  std::string device = "cpu";
};

void run_forward(const ForwardArguments& arguments);
void add_forward_command(CLI::App& app);

}  // namespace dforge::apps
