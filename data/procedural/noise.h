// Value noise for the procedural surfaces. A NoiseTable is a 256 x 256 periodic lattice of values
// uniform in [-1, 1), drawn once from Philox; a NoiseField samples it at a scale and offset of its
// own. Between lattice points the values are blended with the quintic fade 6t^5 - 15t^4 + 10t^3
// (Perlin, "Improving noise", SIGGRAPH 2002), so each field and its slope are continuous: yarn
// thickness, grain wander and stain edges vary smoothly instead of in steps. fbm() sums octaves
// (fractional Brownian motion: frequency x2, amplitude x0.5 per octave), the classic model of
// natural roughness whose spectrum falls as 1/f.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace dforge::data {

class NoiseTable {
 public:
  static constexpr int kPeriod = 256;

  explicit NoiseTable(uint64_t seed);
  float at(int x, int y) const { return values_[size_t(y & (kPeriod - 1)) * kPeriod + size_t(x & (kPeriod - 1))]; }

  // Interpolated value at lattice coordinates (x, y); in [-1, 1].
  float value(double x, double y) const {
    const double floor_x = std::floor(x), floor_y = std::floor(y);
    const int xi = int(int64_t(floor_x) & (kPeriod - 1)), yi = int(int64_t(floor_y) & (kPeriod - 1));
    const float fx = fade(float(x - floor_x)), fy = fade(float(y - floor_y));
    const float top = at(xi, yi) + fx * (at(xi + 1, yi) - at(xi, yi));
    const float bottom = at(xi, yi + 1) + fx * (at(xi + 1, yi + 1) - at(xi, yi + 1));
    return top + fy * (bottom - top);
  }

  // Octaves of value(), normalised so the result stays in [-1, 1].
  float fbm(double x, double y, int octaves) const {
    float sum = 0.0f, amplitude = 1.0f, total = 0.0f;
    for (int octave = 0; octave < octaves; ++octave) {
      // Each octave is shifted by an irrational-looking offset so lattice points do not line up.
      sum += amplitude * value(x + 17.31 * octave, y + 41.77 * octave);
      total += amplitude;
      amplitude *= 0.5f;
      x *= 2.0;
      y *= 2.0;
    }
    return sum / total;
  }

 private:
  static float fade(float t) { return t * t * t * (t * (t * 6.0f - 15.0f) + 10.0f); }
  std::vector<float> values_;
};

// One noise pattern: the table seen through a scale (pixels per lattice cell) and an offset, so
// one shared table gives every image and every purpose its own independent-looking field.
struct NoiseField {
  const NoiseTable* table = nullptr;
  double cell = 16.0;  // pixels per lattice cell
  double offset_x = 0.0, offset_y = 0.0;

  float value(double x, double y) const { return table->value(x / cell + offset_x, y / cell + offset_y); }
  float fbm(double x, double y, int octaves) const {
    return table->fbm(x / cell + offset_x, y / cell + offset_y, octaves);
  }
};

}  // namespace dforge::data
