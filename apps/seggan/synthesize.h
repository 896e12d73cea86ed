// Synthesis with a trained seggan: G_y paints a defect into each defect-free image where a mask
// says. Masks come from a folder (<stem>.png or <stem>_mask.png, same size as the image) or are
// drawn at random (data/random_mask.h). Output, in the plain-folder layout the loaders read:
//   OUT/images/<stem>.png (+ <stem>_bl.png for a backlight channel)   the synthetic defective image
//   OUT/masks/<stem>.png                                               its mask (0/255)
// With --random-masks N > 1 each image gives N results, <stem>-<k>.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/device.h"

namespace dforge::apps {

struct SegganSynthOptions {
  std::string weights;   // a run's checkpoint.safetensors or its G_y.safetensors
  std::string images;    // folder of defect-free images
  std::string masks;     // folder of masks, or empty with random_masks > 0
  int random_masks = 0;  // results per image with random masks
  std::string out;
  uint64_t seed = 0;     // of the random masks
  Device device = Device::cpu();
  bool progress = true;
};

// Returns the number of images written.
int64_t synthesize_seggan(const SegganSynthOptions& options);

// A PNG grid of input | mask | synthesized for the first `count` images of a synthesis folder
// (written with one result per image, so its images and `images` pair up in name order).
void write_synthesis_grid(const std::string& images, const std::string& synthesis, int count, const std::string& path);

}  // namespace dforge::apps
