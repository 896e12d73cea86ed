// The camera that photographs a rendered surface: uneven illumination, the optics' blur and the
// sensor's noise, then 8-bit-ready values in [0, 1]. Noise follows the standard sensor model:
// variance = read^2 + gain * signal (photon shot noise is Poisson, so its variance grows with the
// signal); each pixel's deviate comes from its own Philox block, so the noise is the same on any
// number of threads.
#pragma once

#include "data/random_stream.h"
#include "data/procedural/surfaces.h"
#include "runtime/tensor.h"

namespace dforge::data {

struct CapturedImage {
  Tensor front;      // f32 [3, S, S] in [0, 1]: RGB under the frontlight
  Tensor backlight;  // f32 [1, S, S] in [0, 1]: luminance of the transmitted light
  Tensor mask;       // f32 [1, S, S], 1 on the defect's pixels
};

CapturedImage capture(SurfaceLayers layers, RandomStream stream);

}  // namespace dforge::data
