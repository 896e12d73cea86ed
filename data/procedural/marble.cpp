// Marble tiles: a translucent stone with turbulent veins, laid in a grid with grout joints.
//
// Model. Marble's veins are thin seams of other minerals folded by the rock's deformation. The
// classic model (Perlin, "An image synthesizer", SIGGRAPH 1985) is a periodic function of one
// coordinate with a turbulent phase: t = q * frequency + turbulence * fbm(x, y), vein strength
// (1 - |sin(pi t)|)^sharpness, which is 1 on a thin seam and falls off steeply. Real seams thicken,
// thin out and fade, so the sharpness and the strength of each vein vary along it (low-frequency
// noise), and mineral diffusing from the seam stains a soft halo round it. A second, finer set of
// veins crosses at another angle; clouds (low-frequency fbm) and crystal sparkle (fine noise) vary
// the body colour. The tiles are polished: a broad specular reflection of the lamp,
// and a bevel at each edge that catches or loses the frontlight. Backlight: calcite is
// translucent, so a thin slab passes light that the veins absorb (T = translucency *
// exp(-k * vein)), spread by sub-surface scattering (blur); the grout joint is opaque.
#include <algorithm>
#include <cmath>

#include "data/procedural/geometry.h"
#include "data/procedural/renderers.h"

namespace dforge::data {

namespace {

constexpr double kPi = 3.14159265358979323846;

// The vein phase t at image point (x, y); veins are where t is an integer.
struct VeinPhase {
  double half, cosine, sine, scale, frequency, turbulence;
  NoiseField field;

  explicit VeinPhase(const SurfaceParameters& parameters)
      : half(0.5 * parameters.size),
        cosine(std::cos(parameters.angle)),
        sine(std::sin(parameters.angle)),
        scale(parameters.scale),
        frequency(parameters.marble.vein_frequency),
        turbulence(parameters.marble.turbulence),
        field(parameters.field(120.0 * parameters.scale, 9)) {}

  double operator()(double x, double y) const {
    const double q = (-sine * (x - half) + cosine * (y - half)) / scale;
    return q * frequency + turbulence * field.fbm(x, y, 4);
  }
};

double vein_strength(double phase, double sharpness) {
  return std::pow(1.0 - std::abs(std::sin(kPi * phase)), sharpness);
}

}  // namespace

double marble_vein_direction(const SurfaceParameters& parameters, double x, double y) {
  return iso_line_direction(VeinPhase(parameters), x, y, 1.5, 1e-12, parameters.angle);
}

SurfaceLayers render_marble(const SurfaceParameters& parameters, const DefectPlan* defect) {
  const MarbleParameters& marble = parameters.marble;
  const int size = parameters.size;
  SurfaceLayers layers(size);
  const size_t plane = size_t(size) * size_t(size);
  const NoiseField secondary = parameters.field(60.0 * parameters.scale, 10);
  const NoiseField thickness = parameters.field(50.0 * parameters.scale, 14);
  const NoiseField fading = parameters.field(80.0 * parameters.scale, 15);
  const NoiseField clouds = parameters.field(55.0 * parameters.scale, 11);
  const NoiseField sparkle = parameters.field(0.8, 12);
  const NoiseField grout_texture = parameters.field(1.5, 13);
  const VeinPhase vein_phase(parameters);
  const double cross_angle = parameters.angle + 1.1;
  const double cross_sine = std::sin(cross_angle), cross_cosine = std::cos(cross_angle);
  const double light_z = std::sqrt(std::max(0.1, 1.0 - parameters.light_x * parameters.light_x -
                                                     parameters.light_y * parameters.light_y));
  const double half_grout = 0.5 * marble.grout_width;
  constexpr double kBevel = 2.5;  // pixels of rounded tile edge

#pragma omp parallel for schedule(static) if (size >= 512)
  for (int row = 0; row < size; ++row) {
    for (int column = 0; column < size; ++column) {
      const double x = column + 0.5, y = row + 0.5;
      const double phase = vein_phase(x, y);
      const double sharpness = marble.vein_sharpness * (0.4 + 1.2 * (0.5 + 0.5 * thickness.value(x, y)));
      const double presence = smoothstep(-0.45, 0.35, fading.fbm(x, y, 2));
      const double seam = vein_strength(phase, sharpness);
      const double halo = 0.3 * vein_strength(phase, 0.12 * sharpness);
      const double vein = presence * std::min(1.0, seam + halo);
      const double cross_q = (-cross_sine * x + cross_cosine * y) / parameters.scale;
      const double fine = 0.45 * smoothstep(0.0, 0.6, fading.value(y + 91.0, x)) *
                          vein_strength(cross_q * marble.vein_frequency * 2.7 + 1.2 * secondary.fbm(x, y, 3),
                                        marble.vein_sharpness * 4.0);
      const double cloud = clouds.fbm(x, y, 3);
      const double veins = std::clamp(vein + fine, 0.0, 1.0);
      const double body = 1.0 + 0.03 * sparkle.value(x, y);
      const double cloud_weight = std::clamp(0.5 + 0.8 * cloud, 0.0, 1.0) * 0.45;
      double red = mix(mix(marble.base.red, marble.cloud.red, cloud_weight), marble.vein.red, 0.9 * veins) * body;
      double green = mix(mix(marble.base.green, marble.cloud.green, cloud_weight), marble.vein.green, 0.9 * veins) * body;
      double blue = mix(mix(marble.base.blue, marble.cloud.blue, cloud_weight), marble.vein.blue, 0.9 * veins) * body;
      double transmission = marble.translucency * std::exp(-1.4 * veins) * (1.0 + 0.25 * cloud);
      // Grout joints of the tile grid, and the bevel of each tile's edge.
      const double tile_x = x + marble.tile_offset_x, tile_y = y + marble.tile_offset_y;
      const double within_x = tile_x - marble.tile_size * std::floor(tile_x / marble.tile_size);
      const double within_y = tile_y - marble.tile_size * std::floor(tile_y / marble.tile_size);
      const double to_left = within_x, to_right = marble.tile_size - within_x;
      const double to_top = within_y, to_bottom = marble.tile_size - within_y;
      const double edge = std::min({to_left, to_right, to_top, to_bottom});
      double normal_x = 0.0, normal_y = 0.0;
      if (edge < half_grout + kBevel) {
        // The bevel's normal leans towards the nearest joint.
        const double lean = 0.6 * smoothstep(half_grout + kBevel, half_grout, edge);
        if (edge == to_left) normal_x = -lean;
        else if (edge == to_right) normal_x = lean;
        else if (edge == to_top) normal_y = -lean;
        else normal_y = lean;
      }
      const double normal_z = std::sqrt(std::max(0.05, 1.0 - normal_x * normal_x - normal_y * normal_y));
      const double lambert = std::max(0.0, normal_x * parameters.light_x + normal_y * parameters.light_y + normal_z * light_z);
      const double lit = 0.35 + 0.65 * lambert / light_z;
      // Polished stone mirrors the lamp: a broad highlight, weaker where veins break the polish.
      const double dx = x / size - marble.gloss_x, dy = y / size - marble.gloss_y;
      const double gloss = marble.gloss * std::exp(-(dx * dx + dy * dy) / 0.18) * (1.0 - 0.3 * veins);
      const double grout = smoothstep(half_grout + 0.5, half_grout - 0.5, edge);
      const double grout_shade = 0.8 + 0.12 * grout_texture.value(x, y);
      red = mix(red * lit + gloss, marble.grout.red * grout_shade, grout);
      green = mix(green * lit + gloss, marble.grout.green * grout_shade, grout);
      blue = mix(blue * lit + gloss, marble.grout.blue * grout_shade, grout);
      transmission = mix(transmission, 0.02, grout);
      const size_t pixel = size_t(row) * size_t(size) + size_t(column);
      layers.front[pixel] = float(red);
      layers.front[plane + pixel] = float(green);
      layers.front[2 * plane + pixel] = float(blue);
      layers.backlight[pixel] = float(transmission);
    }
  }
  // Every marble defect is drawn on the finished surface (defects.cpp), so `defect` is not used here.
  binomial_blur(layers.backlight, size, 3);
  return layers;
}

}  // namespace dforge::data
