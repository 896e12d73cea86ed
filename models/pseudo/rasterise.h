// Scan conversion of a placed outline: a pixel belongs to the shape when its centre
// (x + 0.5, y + 0.5) lies inside the polygon by the even-odd rule. No anti-aliasing: a pseudo-defect's
// mask must be exact, and its soft edge comes from the colour's attenuation (attenuation.h).
#pragma once

#include <cstdint>
#include <vector>

#include "models/pseudo/shapes.h"

namespace dforge::models::pseudo {

// The pixels of a height x width image a shape covers, row-major: 1 inside, 0 outside.
struct Footprint {
  int height = 0, width = 0;
  std::vector<uint8_t> inside;
  int64_t count() const;
};

// The footprint of `outline` (pixel coordinates); parts outside the image are clipped.
Footprint rasterise(const Outline& outline, int height, int width);

}  // namespace dforge::models::pseudo
