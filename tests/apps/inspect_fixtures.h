// What the inspector tests share: the tiny generated dataset's (tests/support/tiny_dataset.h, its
// defaults) defective test images as a folder of "synthetic" defects, a tiny run's options, and
// `dforge inspect` through its CLI11 app.
#pragma once

#include <string>
#include <vector>

#include "apps/inspect/train_inspector.h"
#include "tests/support/same_checkpoints.h"
#include "tests/support/temporary_directory.h"
#include "tests/support/tiny_dataset.h"

namespace dforge::testing {

// The dataset's defective test images copied into the plain folder layout `dforge synth seggan`
// writes (OUT/images with backlight companions, OUT/masks), standing in for synthetic defects.
std::string defects_folder(const std::string& data, const TemporaryDirectory& directory);

// 32 x 32 images, batch 4, width 8, a checkpoint every 2 steps, quiet.
apps::InspectRunOptions tiny_run(const std::string& kind, const std::string& data, const std::string& defects,
                                 const std::string& out, int64_t steps);

// Parses `dforge <arguments>` with only the inspect command registered.
void inspect_cli(std::vector<std::string> arguments);

}  // namespace dforge::testing
