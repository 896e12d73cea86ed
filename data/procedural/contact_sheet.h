// A contact sheet of the procedural dataset: for every surface (rows) its normal image and one
// image of each of its defect kinds (columns), each shown as frontlight over backlight over mask,
// labelled. Rendered in memory from the same generator as the dataset; for the README and for
// looking at what the generator draws.
#pragma once

#include <cstdint>
#include <vector>

#include "data/procedural/surfaces.h"
#include "runtime/tensor.h"

namespace dforge::data {

struct ContactSheetOptions {
  uint64_t seed = 0;
  std::vector<SurfaceType> surfaces;  // empty: all
  int cell = 128;                     // pixels per thumbnail
  int render_factor = 2;              // images are rendered at cell * render_factor and box-shrunk
};

// f32 [3, H, W] in [0, 1].
Tensor render_contact_sheet(const ContactSheetOptions& options);

}  // namespace dforge::data
