// Synthesis with a trained defectgan (paper 003): the generator defaces each defect-free image
// under a control map that says which defect kind to paint, and where. Without masks the map is
// the kind over the whole image, as in training; with a mask folder or random masks it is the kind
// inside the mask and "no defect" outside (the paper's free-form spatial control, Sec. 3.2). The
// written mask is where the generator actually painted: its spatial distribution map m >= 0.5
// (without layer-wise composition, which has no m, the control region is written instead).
// Output, in the plain-folder layout the loaders read:
//   OUT/images/<stem>-<kind>[-<k>].png (+ _bl.png for a backlight channel)   the defective image
//   OUT/masks/<stem>-<kind>[-<k>].png                                         its mask (0/255)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/device.h"

namespace dforge::apps {

struct DefectganSynthOptions {
  std::string weights;               // a run's checkpoint.safetensors or its G.safetensors
  std::string images;                // folder of defect-free images (sides divisible by 4)
  std::vector<std::string> defects;  // kinds to paint, each on every image; empty: every kind the model knows
  std::string masks;                 // folder of masks named like the images; empty: see random_masks
  int random_masks = 0;              // > 0: that many results per image and kind, each with a random mask
  std::string out;
  uint64_t seed = 0;                 // of the random masks and the generator's noise
  Device device = Device::cpu();
  bool progress = true;
};

// Returns the number of images written.
int64_t synthesize_defectgan(const DefectganSynthOptions& options);

}  // namespace dforge::apps
