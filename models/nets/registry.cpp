// The name -> (infer options, build) table of the CycleGAN backbones.
#include "models/nets/registry.h"

#include <functional>
#include <utility>

#include "models/nets/patchgan.h"
#include "models/nets/resnet_generator.h"
#include "models/nets/unet_generator.h"
#include "runtime/error.h"

namespace dforge::models {

namespace {

using Builder = std::function<std::shared_ptr<Module>(const NamedTensors&, Generator&)>;

template <typename Network, typename Infer>
Builder builder(Infer infer) {
  return [infer](const NamedTensors& weights, Generator& generator) -> std::shared_ptr<Module> {
    return std::make_shared<Network>(infer(weights), generator);
  };
}

const std::vector<std::pair<std::string, Builder>>& table() {
  static const std::vector<std::pair<std::string, Builder>> networks = {
      {"unet", builder<UnetGenerator>(infer_unet_options)},
      {"resnet_gen", builder<ResnetGenerator>(infer_resnet_options)},
      {"patchgan", builder<PatchGanDiscriminator>(infer_patchgan_options)},
  };
  return networks;
}

}  // namespace

std::vector<std::string> registered_networks() {
  std::vector<std::string> names;
  for (const auto& [name, build] : table()) names.push_back(name);
  return names;
}

std::shared_ptr<Module> network_from_weights(const std::string& name, const NamedTensors& weights,
                                             const std::string& source) {
  for (const auto& [known, build] : table()) {
    if (known != name) continue;
    Generator generator(0);  // the initial values are overwritten by the load
    std::shared_ptr<Module> network;
    try {
      network = build(weights, generator);
    } catch (const Error& error) {
      throw Error(concat(source, ": ", error.what()));
    }
    network->load_state_dict(weights, source);
    return network;
  }
  std::string known;
  for (const std::string& network : registered_networks()) known += (known.empty() ? "" : ", ") + network;
  throw Error(concat("unknown network '", name, "' (known: ", known, ")"));
}

}  // namespace dforge::models
