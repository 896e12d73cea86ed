// Building a backbone from a saved state dict: the sizes are inferred from the weight shapes
// (infer_*_options), the network is built and the weights are loaded strictly (a missing, extra or
// mis-shaped tensor is refused naming the tensor and the file). Used by `dforge forward` and by
// anything that loads a reference checkpoint without knowing its options.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers/module.h"

namespace dforge::models {

// "unet", "resnet_gen", "patchgan".
std::vector<std::string> registered_networks();

// `source` (usually the file) is named in errors. Unknown `name` -> error listing the known ones.
// The network is returned in training mode, on the CPU.
std::shared_ptr<Module> network_from_weights(const std::string& name, const NamedTensors& weights,
                                             const std::string& source);

}  // namespace dforge::models
