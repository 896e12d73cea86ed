// The colour of a pseudo-defect (paper 004, Sec. 2.1.1): a base colour -- white, grey or black,
// as most real defects (stains, scratches) are, or optionally a colour taken from the image itself
// -- laid on with an opacity that falls off from the defect's centre by a Gaussian, plus noise.
//
// Eq. (1) of the paper (a Gaussian kernel of the distance from (center_i, center_j) with
// parameters mu and sigma "set according to the actual situation") is not legible in our copy; we
// implement it as
//   g(i, j) = exp(-(r - mu)^2 / (2 sigma^2)),   r = |(i, j) - centre| / radius   (0 at the centre,
//                                                                                 1 at the rim)
// and the opacity  alpha = opacity * (edge_floor + (1 - edge_floor) g),  so that alpha > 0 on
// every pixel of the shape: a pixel is in the mask exactly when it is painted (alpha > 0).
#pragma once

#include "data/random_stream.h"

namespace dforge::models::pseudo {

// Eq. (1): the Gaussian fall-off at relative distance r from the centre.
double gaussian_falloff(double r, double mu, double sigma);

enum class BaseColour { white, grey, black, image };

// The grey level of a base colour (1, 0.5, 0), moved by up to +-jitter and clamped to [0, 1].
double base_colour_level(BaseColour base, double jitter, data::RandomStream& stream);

}  // namespace dforge::models::pseudo
