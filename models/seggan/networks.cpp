#include "models/seggan/networks.h"

#include "models/nets/patchgan.h"
#include "models/nets/resnet_generator.h"
#include "models/nets/unet_generator.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

std::shared_ptr<Module> make_generator(const SegganConfig& config, int in_channels, Generator& generator) {
  if (config.generator == "unet") {
    UnetOptions options;
    options.in_channels = in_channels;
    options.out_channels = config.image_channels;
    options.num_downs = config.unet_depth();
    options.ngf = config.ngf;
    return std::make_shared<UnetGenerator>(options, generator);
  }
  ResnetOptions options;
  options.in_channels = in_channels;
  options.out_channels = config.image_channels;
  options.ngf = config.ngf;
  options.blocks = config.resnet_blocks;
  return std::make_shared<ResnetGenerator>(options, generator);
}

std::shared_ptr<Module> make_discriminator(const SegganConfig& config, Generator& generator) {
  PatchGanOptions options;
  options.in_channels = config.image_channels;
  options.ndf = config.ndf;
  options.n_layers = config.d_layers;
  options.spectral_norm = config.spectral_norm;
  return std::make_shared<PatchGanDiscriminator>(options, generator);
}

}  // namespace

SegganNetworks::SegganNetworks(const SegganConfig& config, Generator& generator) {
  config.validate();
  g_y = make_generator(config, config.image_channels + 1, generator);
  g_x = make_generator(config, config.image_channels, generator);
  d_y = make_discriminator(config, generator);
  d_x = make_discriminator(config, generator);
}

std::vector<std::pair<std::string, Module*>> SegganNetworks::named() const {
  return {{"G_y.", g_y.get()}, {"G_x.", g_x.get()}, {"D_y.", d_y.get()}, {"D_x.", d_x.get()}};
}

NamedTensors SegganNetworks::state_dict() const {
  NamedTensors tensors;
  for (const auto& [prefix, network] : named())
    for (auto& [name, tensor] : network->state_dict()) tensors.emplace_back(prefix + name, tensor);
  return tensors;
}

void SegganNetworks::load_state_dict(const NamedTensors& tensors, const std::string& source,
                                     bool only_generators) {
  for (const auto& [prefix, network] : named()) {
    if (only_generators && prefix[0] == 'D') continue;
    network->load_state_dict(strip_prefix(tensors, prefix), source + " (" + prefix.substr(0, 3) + ")");
  }
}

void SegganNetworks::to(Device device) {
  for (const auto& [prefix, network] : named()) network->to(device);
}

void SegganNetworks::train(bool training) {
  for (const auto& [prefix, network] : named()) network->train(training);
}

}  // namespace dforge::models
