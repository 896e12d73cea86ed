// A tiny generated MVTec-style dataset (data/procedural/datagen.h) for the end-to-end run tests:
// 32 x 32 images (or `size`), a handful per surface, written under a temporary directory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/procedural/surfaces.h"
#include "tests/support/temporary_directory.h"

namespace dforge::testing {

struct TinyDataset {
  std::vector<data::SurfaceType> surfaces = {data::SurfaceType::plain_weave};
  int normal = 6;     // per surface, train/good and test/good together
  int defective = 4;  // per surface, with masks
  uint64_t seed = 5;
  int size = 32;      // image side
};

// Generates the dataset into DIRECTORY/data and returns that path.
std::string tiny_dataset(const TemporaryDirectory& directory, const TinyDataset& dataset = {});

}  // namespace dforge::testing
