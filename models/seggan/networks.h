// The four networks of seggan (paper 000, Fig. 2): G_y paints defects (image + target mask, C + 1
// channels -> C), G_x removes them (C -> C), and one PatchGAN discriminator per domain. Their
// state dicts are saved side by side under the prefixes "G_y.", "G_x.", "D_y.", "D_x.", each with
// the reference CycleGAN names below the prefix.
#pragma once

#include <memory>
#include <string>

#include "layers/module.h"
#include "models/checkpoint_state.h"
#include "models/seggan/config.h"
#include "runtime/random.h"

namespace dforge::models {

struct SegganNetworks {
  std::shared_ptr<Module> g_y, g_x, d_y, d_x;

  // Built and initialised (N(0, 0.02)) from `generator`'s stream, on the CPU.
  SegganNetworks(const SegganConfig& config, Generator& generator);

  // (prefix, network) in a fixed order.
  std::vector<std::pair<std::string, Module*>> named() const;
  NamedTensors state_dict() const;
  // Strict for every network whose prefix appears in `tensors`; `only_generators` loads G_y and
  // G_x alone (what synthesis needs).
  void load_state_dict(const NamedTensors& tensors, const std::string& source, bool only_generators = false);
  void to(Device device);
  void train(bool training);
};

}  // namespace dforge::models
