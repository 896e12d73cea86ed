#include "models/pseudo/attenuation.h"

#include <algorithm>
#include <cmath>

namespace dforge::models::pseudo {

double gaussian_falloff(double r, double mu, double sigma) {
  const double d = r - mu;
  return std::exp(-d * d / (2.0 * sigma * sigma));
}

double base_colour_level(BaseColour base, double jitter, data::RandomStream& stream) {
  const double level = base == BaseColour::white ? 1.0 : base == BaseColour::grey ? 0.5 : 0.0;
  return std::clamp(level + stream.uniform(-jitter, jitter), 0.0, 1.0);
}

}  // namespace dforge::models::pseudo
