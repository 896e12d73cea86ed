// Random defect masks for synthesis when a user has none (`dforge synth --random-masks`): a blob
// (a wobbly ellipse, like a stain or hole) or a scratch (a thick, gently bending polyline, like a
// cut or broken thread). Deterministic for a RandomStream.
#pragma once

#include "data/random_stream.h"
#include "runtime/tensor.h"

namespace dforge::data {

// f32 [1, height, width], 1 inside the shape; never empty.
Tensor random_defect_mask(int height, int width, RandomStream& stream);

}  // namespace dforge::data
