// What the main job (`dforge demo`) and the experiments (`dforge experiment`) share: the built-in
// dataset (data/procedural/datagen.h), generated on first use, and the seggan run they train on it:
// three "seen" surfaces (plain weave, printed fabric, wood), lambda_clip 0 (the paper's best
// localisation), and one of two sizes:
//   cpu  about 10 minutes on two cores: 64-pixel crops, U-Net ngf/ndf 32, 1500 steps
//   gpu  the paper's size: 256-pixel crops, ngf/ndf 64, 20000 steps
// "auto" picks by device. Both commands reuse a finished run of the same preset.
#pragma once

#include <string>
#include <vector>

#include "models/seggan/config.h"
#include "runtime/device.h"

namespace dforge::apps {

const std::vector<std::string>& builtin_seen_surfaces();

// Generates the built-in dataset into `root` when that folder is missing or empty; any other
// folder (an earlier generation, or the user's own MVTec AD tree) is left as it is. Returns the
// seconds it took (0 when nothing was generated).
double ensure_builtin_dataset(const std::string& root, bool progress);

// "cpu" or "gpu" for `preset` auto, cpu or gpu; throws naming `command` and the value otherwise.
std::string resolve_preset(const std::string& preset, Device device, const std::string& command);

// The configuration of a resolved preset ("cpu" or "gpu").
models::SegganConfig seggan_preset(const std::string& preset);

}  // namespace dforge::apps
