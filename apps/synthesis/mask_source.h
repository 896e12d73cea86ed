// Where a synthesis command (`dforge synth seggan|defectgan`) gets the mask of each result: from a
// folder of masks named like the images (<stem>.png or <stem>_mask.png, the image's size), or
// drawn at random (data/random_mask.h) from the seed, the image's index and the result's index,
// so a synthesis is reproducible whatever order it runs in.
#pragma once

#include <cstdint>
#include <string>

#include "data/sample.h"

namespace dforge::apps {

struct MaskSource {
  std::string folder;  // empty: random masks
  uint64_t seed = 0;   // of the random masks
};

// [1, H, W] in {0, 1} for result `result` of image `index` (`sample`). Throws naming the folder and
// the image when the folder has no mask for it, or naming the mask when its size differs.
Tensor synthesis_mask(const MaskSource& source, const data::Sample& sample, int64_t index, int result);

}  // namespace dforge::apps
