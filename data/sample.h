// Sample: one image of a dataset with everything known about it. Every loader (MVTec AD, AITEX,
// plain folder, the procedural set) yields these; transforms map a Sample to a Sample, keeping the
// image and its mask aligned pixel for pixel.
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace dforge::data {

struct Sample {
  Tensor image;         // f32 [C, H, W] in [0, 1]: C = 1 gray, 3 RGB, 4 RGB + backlight luminance
  Tensor mask;          // f32 [1, H, W], 1 on defect pixels, 0 elsewhere; undefined when there is none
  int label = 0;        // 0 normal, 1 defective
  std::string product;  // the surface / product / category it shows
  std::string defect;   // the defect kind, "good" for normal images
  std::string path;     // the image file it came from

  bool has_mask() const { return mask.defined(); }
};

}  // namespace dforge::data
