// Pseudo-defects for a training batch (paper 004, Fig. 2): each normal crop gets defects painted
// on the fly, with probability defect_probability, else stays normal with an empty mask (so the
// segmenter also sees defect-free images and learns not to flag texture). Sample i of step s draws
// from RandomStream(seed, stream_id({step, i})): a resumed run repaints exactly the same defects.
#pragma once

#include <cstdint>

#include "models/pseudo/generator.h"

namespace dforge::models::pseudo {

struct PaintedBatch {
  Tensor images;  // f32 [N, C, H, W] in [0, 1]
  Tensor masks;   // f32 [N, 1, H, W]
};

// images: f32 [N, C, H, W] in [0, 1], any device; the result is on the same device.
PaintedBatch paint_batch(const Tensor& images, const PseudoOptions& options, double defect_probability,
                         uint64_t seed, int64_t step);

}  // namespace dforge::models::pseudo
