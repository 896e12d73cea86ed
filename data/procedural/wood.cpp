// Wood: a flat-sawn board, rendered from the log it was cut from.
//
// Model. A tree adds one growth ring a year, so the wood's density is a periodic function of the
// radius r from the pith. The board is a plane at distance `depth` from the pith; with p along the
// grain and q across it, r = sqrt((q - axis(p))^2 + depth(p)^2). Because the log tapers and the saw
// never runs exactly parallel to it, depth changes along the board, and the iso-lines of r become
// the nested arches ("cathedrals") of flat-sawn wood. Within each ring the light earlywood turns to
// dense, dark latewood late in the season, then the next ring starts abruptly: a saw-tooth in r.
// Growth is irregular (fbm displacement of r, stretched along the grain); fibres give streaks
// along the grain, and ring-porous species (oak, ash) show their earlywood vessels as dark dashes.
//
// A knot is a branch cut across: its own small rings inside an outline, a dark bark ring round a
// dead knot, and the board's grain flowing round it -- the rings are displaced away from the knot
// the way streamlines part round an obstacle. Backlight: a thin board lets light through as
// T = exp(-tau * density), latewood and knots being denser.
#include <algorithm>
#include <cmath>

#include "data/procedural/geometry.h"
#include "data/procedural/renderers.h"

namespace dforge::data {

namespace {

// Board coordinates: p along the grain, q across, pixels at the product's scale, origin at the
// image centre.
void board_coordinates(const SurfaceParameters& parameters, double x, double y, double& p, double& q) {
  const double half = 0.5 * parameters.size;
  const double cosine = std::cos(parameters.angle), sine = std::sin(parameters.angle);
  p = (cosine * (x - half) + sine * (y - half)) / parameters.scale;
  q = (-sine * (x - half) + cosine * (y - half)) / parameters.scale;
}

// The table sampled with different cell sizes along and across the grain.
double anisotropic(const SurfaceParameters& parameters, int purpose, double p, double q, double cell_p,
                   double cell_q, int octaves) {
  return parameters.noise->fbm(p / cell_p + parameters.noise_x + 31.0 * purpose, q / cell_q + parameters.noise_y + 11.0 * purpose,
                               octaves);
}

// Ring phase (rings from the pith) at board point (p, q), the grain displaced round a knot.
double ring_phase(const SurfaceParameters& parameters, const Blob* knot, double p, double q) {
  const WoodParameters& wood = parameters.wood;
  if (knot != nullptr) {
    double knot_p = 0.0, knot_q = 0.0;
    board_coordinates(parameters, knot->centre.x, knot->centre.y, knot_p, knot_q);
    const double radius = std::min(knot->radius_x, knot->radius_y) / parameters.scale;
    const double along = (p - knot_p) / (2.2 * std::max(knot->radius_x, knot->radius_y) / parameters.scale);
    const double across = q - knot_q;
    const double outside = std::max(0.0, std::abs(across) - radius);
    // Streamlines that would run through the knot are pushed to its sides: the displacement is a
    // knot radius at the outline and decays away from it along and across the grain.
    const double push = 1.15 * radius * std::exp(-along * along) * std::exp(-std::pow(outside / (1.6 * radius), 2));
    q -= (across >= 0 ? 1.0 : -1.0) * push;
  }
  const double wander = 6.0 * anisotropic(parameters, 1, p, 0.0, 90.0, 1.0, 2);
  const double across = q - (wood.pith_offset + wood.axis_slope * p + wander);
  const double depth = wood.pith_depth + wood.depth_slope * p;
  const double radius = std::sqrt(across * across + depth * depth);
  const double figure = wood.figure * anisotropic(parameters, 2, p, q, 70.0, 9.0, 3);
  return (radius + figure) / wood.ring_width;
}

// Earlywood (0) to latewood (1) within a ring: a gradual rise late in the season, then an abrupt
// return at the ring boundary.
double latewood_fraction(double phase) {
  const double f = phase - std::floor(phase);
  return smoothstep(0.5, 0.88, f) * (1.0 - smoothstep(0.95, 1.0, f));
}

}  // namespace

double wood_grain_direction(const SurfaceParameters& parameters, double x, double y) {
  // The grain runs along the iso-lines of the ring phase: perpendicular to its gradient.
  auto phase = [&](double image_x, double image_y) {
    double p, q;
    board_coordinates(parameters, image_x, image_y, p, q);
    return ring_phase(parameters, nullptr, p, q);
  };
  return iso_line_direction(phase, x, y, 1.5, 1e-9, parameters.angle);
}

SurfaceLayers render_wood(const SurfaceParameters& parameters, const DefectPlan* defect) {
  const WoodParameters& wood = parameters.wood;
  const int size = parameters.size;
  SurfaceLayers layers(size);
  const size_t plane = size_t(size) * size_t(size);
  const Blob* knot = defect && defect->kind == DefectKind::knot && defect->region ? &*defect->region : nullptr;
  const bool dead_knot = knot && defect->variant == 1;
  const NoiseField colour_field = parameters.field(110.0, 7);
  const NoiseField grain_field = parameters.field(1.2, 8);
  const double light_z = std::sqrt(std::max(0.1, 1.0 - parameters.light_x * parameters.light_x -
                                                     parameters.light_y * parameters.light_y));

#pragma omp parallel for schedule(static) if (size >= 512)
  for (int row = 0; row < size; ++row) {
    for (int column = 0; column < size; ++column) {
      const double x = column + 0.5, y = row + 0.5;
      double p = 0.0, q = 0.0;
      board_coordinates(parameters, x, y, p, q);
      const double phase = ring_phase(parameters, knot, p, q);
      double late = latewood_fraction(phase);
      // Fibre streaks along the grain and earlywood vessels (dark dashes a few pixels long).
      const double streak = anisotropic(parameters, 3, p, q, 28.0, 0.9, 2);
      const double vessels = anisotropic(parameters, 4, p, q, 4.5, 0.7, 1);
      const double pore = wood.pore_strength * smoothstep(0.35, 0.65, vessels) * (1.0 - late);
      double density = 0.65 + 0.9 * late;
      double red = mix(wood.earlywood.red, wood.latewood.red, late);
      double green = mix(wood.earlywood.green, wood.latewood.green, late);
      double blue = mix(wood.earlywood.blue, wood.latewood.blue, late);
      double shade = (1.0 + 0.07 * streak) * (1.0 - pore) * (1.0 + 0.05 * colour_field.fbm(x, y, 3)) *
                     (1.0 + 0.025 * grain_field.value(x, y));
      if (knot != nullptr) {
        const double rho = knot->relative_distance(x, y);
        if (rho < 1.08) {
          // The branch's own rings, tight and dark; its outline a dark ring (bark of a dead knot,
          // a darker transition zone of a sound one). Radial checks open as a dead knot dries.
          const double knot_rings = latewood_fraction(rho * std::min(knot->radius_x, knot->radius_y) / (0.45 * wood.ring_width));
          const double inside = smoothstep(1.08, 0.98, rho);
          const double bark = dead_knot ? smoothstep(0.8, 0.95, rho) * smoothstep(1.08, 0.98, rho) : 0.35 * smoothstep(0.85, 1.0, rho) * inside;
          const double dark = (dead_knot ? 0.55 : 0.72) * (1.0 - 0.25 * knot_rings) * (1.0 - 0.7 * bark);
          const double angle = std::atan2(y - knot->centre.y, x - knot->centre.x);
          const double check = dead_knot ? smoothstep(0.92, 0.99, std::cos(3.0 * angle + 1.3)) * smoothstep(0.2, 0.5, rho) : 0.0;
          const double knot_red = wood.latewood.red * dark * (1.0 - 0.8 * check) * 1.05;
          const double knot_green = wood.latewood.green * dark * (1.0 - 0.8 * check) * 0.95;
          const double knot_blue = wood.latewood.blue * dark * (1.0 - 0.8 * check) * 0.9;
          red = mix(red, knot_red, inside);
          green = mix(green, knot_green, inside);
          blue = mix(blue, knot_blue, inside);
          density = mix(density, 2.4 + 1.0 * bark - 2.0 * check, inside);
          late = mix(late, 1.0, inside);
          if (rho < 1.0) layers.mask[size_t(row) * size_t(size) + size_t(column)] = 1.0f;
        }
      }
      // A planed board is flat: Lambert with the frontlight is one constant; the varnish adds a
      // faint broad sheen brighter towards the light.
      const double sheen = 0.04 * (1.0 + parameters.light_x * (x / size - 0.5) * 2.0 + parameters.light_y * (y / size - 0.5) * 2.0);
      const double lit = 0.95 * (0.35 + 0.65 * light_z) * shade;
      const size_t pixel = size_t(row) * size_t(size) + size_t(column);
      layers.front[pixel] = float(red * lit + sheen);
      layers.front[plane + pixel] = float(green * lit + sheen);
      layers.front[2 * plane + pixel] = float(blue * lit + sheen);
      layers.backlight[pixel] = float(std::exp(-wood.optical_depth * density * (1.0 + 0.1 * streak)));
    }
  }
  // Light scatters along the fibres of a veneer before leaving it.
  binomial_blur(layers.backlight, size, 2);
  return layers;
}

}  // namespace dforge::data
