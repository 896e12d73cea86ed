// What the inspector tests share: a tiny generated dataset (one surface at 32 x 32), its defective
// test images as a folder of "synthetic" defects, a tiny run's options, and `dforge inspect` through
// its CLI11 app, and the bit-for-bit comparison of two checkpoints.
#pragma once

#include <string>
#include <vector>

#include "apps/inspect/train_inspector.h"
#include "tests/support/temporary_directory.h"

namespace dforge::testing {

// plain_weave at 32 x 32: 6 normal images (train + test) and 4 defective ones with masks.
std::string tiny_dataset(const TemporaryDirectory& directory);

// The dataset's defective test images copied into the plain folder layout `dforge synth seggan`
// writes (OUT/images with backlight companions, OUT/masks), standing in for synthetic defects.
std::string defects_folder(const std::string& data, const TemporaryDirectory& directory);

// 32 x 32 images, batch 4, width 8, a checkpoint every 2 steps, quiet.
apps::InspectRunOptions tiny_run(const std::string& kind, const std::string& data, const std::string& defects,
                                 const std::string& out, int64_t steps);

// Checks that two checkpoints hold the same tensors, name for name and bit for bit.
void check_same_checkpoints(const std::string& a, const std::string& b);

// Parses `dforge <arguments>` with only the inspect command registered.
void inspect_cli(std::vector<std::string> arguments);

}  // namespace dforge::testing
