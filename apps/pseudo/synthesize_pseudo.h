// `dforge synth pseudo`: paper 004's pseudo-defects painted onto a folder of normal images, in the
// plain-folder layout the loaders read:
//   OUT/images/<stem>-<k>.png (+ <stem>-<k>_bl.png for a backlight channel)   the painted image
//   OUT/masks/<stem>-<k>.png                                                 its exact mask (0/255)
// With contact_sheet set, a PNG of the first (up to 8) images also shows what was done: per row
// the normal image, then each result and its mask (apps/report/image_grid.h).
// Result k of image i draws from RandomStream(seed, stream_id({i, k})): same seed, same bytes.
#pragma once

#include <cstdint>
#include <string>

#include "models/pseudo/generator.h"

namespace dforge::apps {

struct PseudoSynthOptions {
  std::string images;  // folder of normal images
  std::string out;
  int count = 1;       // results per image
  uint64_t seed = 0;
  models::pseudo::PseudoOptions pseudo;
  std::string contact_sheet;  // empty: none
  bool progress = true;
};

// Returns the number of images written.
int64_t synthesize_pseudo(const PseudoSynthOptions& options);

}  // namespace dforge::apps
