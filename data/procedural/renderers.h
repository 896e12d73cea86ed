// The per-material renderers behind render_surface() and texture_direction() (surfaces.h); one
// file each: weave.cpp, wood.cpp, marble.cpp.
#pragma once

#include "data/procedural/surfaces.h"

namespace dforge::data {

SurfaceLayers render_weave(const SurfaceParameters& parameters, const DefectPlan* defect);
SurfaceLayers render_wood(const SurfaceParameters& parameters, const DefectPlan* defect);
SurfaceLayers render_marble(const SurfaceParameters& parameters, const DefectPlan* defect);

double wood_grain_direction(const SurfaceParameters& parameters, double x, double y);
double marble_vein_direction(const SurfaceParameters& parameters, double x, double y);

// Blurs a size x size plane in place with the binomial kernel [1 2 1] / 4 along both axes,
// `passes` times (a Gaussian of variance passes / 2 pixels^2): light spreading inside the
// material, or the camera's optics.
void binomial_blur(std::vector<float>& plane, int size, int passes, size_t offset = 0);

}  // namespace dforge::data
