// Defect placement and the defects drawn on finished surfaces. The physics each one imitates:
//
// - Stain (dye or oil): a liquid spreads from where it fell and wicks along the capillaries of the
//   material -- along both thread directions in a fabric, along the grain in wood -- so its outline
//   has fingers along the texture. Evaporation carries solute to the rim (the coffee-ring effect,
//   Deegan et al., Nature 1997), so a dye stain has a darker tide line inside a soft edge. A dye
//   multiplies the reflectance by its colour raised to the concentration (Beer-Lambert in the dyed
//   layer) and absorbs backlight the same way; oil fills the air gaps between fibres, which cuts
//   scattering: the fabric looks darker and lets more backlight through (T -> T^(1 - k c)).
// - Scratch: a groove ploughed through a finish; its two walls tilt towards the light and away
//   from it (Lambert), and the crushed finish scatters white light. Tool chatter makes it
//   intermittent.
// - Crack: a fracture that follows the weakest direction -- the grain of wood, a vein of marble --
//   traced step by step along texture_direction() with a jagged path. Its opening is the ellipse of
//   a Griffith crack, widest in the middle and closing at the tips; the gap is dark under the
//   frontlight and leaks backlight in a thin board.
// - Hole in solid material: a bore or knot hole through a board (dark inside, its far wall lit,
//   bright in backlight), a chip in stone (a shallow rough pit whose fresh fracture scatters white,
//   its walls shaded by their slope).
// Thread defects, fabric holes and cuts and wood knots are built into the material (weave.cpp,
// wood.cpp); here they are only placed.
#include "data/procedural/defects.h"

#include <algorithm>
#include <cmath>

#include "runtime/error.h"

namespace dforge::data {

namespace {

constexpr double kPi = 3.14159265358979323846;

double luminance(const Rgb& colour) { return 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue; }

Point random_centre(int size, RandomStream& stream, double margin) {
  return {stream.uniform(margin, 1.0 - margin) * size, stream.uniform(margin, 1.0 - margin) * size};
}

// A blob of mean radius `radius`, aspect `aspect` along `angle`, outline roughness `roughness`.
Blob make_blob(Point centre, double radius, double aspect, double angle, double roughness, RandomStream& stream) {
  Blob blob;
  blob.centre = centre;
  blob.radius_x = radius * std::sqrt(aspect);
  blob.radius_y = radius / std::sqrt(aspect);
  blob.angle = angle;
  for (int k = 0; k < Blob::kHarmonics; ++k) {
    // Amplitudes fall as 1/k: rough outlines have most of their variance in the low harmonics.
    blob.amplitude[size_t(k)] = roughness * stream.normal() / double(k + 2);
    blob.phase[size_t(k)] = stream.uniform(0.0, 2.0 * kPi);
  }
  return blob;
}

// A smooth stroke of `length` from `start` heading `angle`, bending gently; widths follow
// `profile(t)` for t in [0, 1] along it.
template <typename Profile>
Polyline make_stroke(Point start, double angle, double length, double bend, int points, Profile profile,
                     RandomStream& stream) {
  Polyline line;
  const double step = length / (points - 1);
  const double turn = bend / (points - 1);
  Point at = start;
  for (int i = 0; i < points; ++i) {
    const double t = double(i) / (points - 1);
    line.points.push_back(at);
    line.widths.push_back(profile(t));
    angle += turn + stream.normal(0.0, 0.02);
    at = {at.x + step * std::cos(angle), at.y + step * std::sin(angle)};
  }
  return line;
}

// A crack traced both ways from `start` along the texture, with jagged sideways steps.
Polyline trace_crack(const SurfaceParameters& parameters, Point start, double length, double opening,
                     RandomStream& stream) {
  constexpr double kStep = 2.0;
  const int half_steps = std::max(2, int(0.5 * length / kStep));
  std::vector<Point> forward, backward;
  for (int direction = 0; direction < 2; ++direction) {
    std::vector<Point>& out = direction == 0 ? forward : backward;
    Point at = start;
    double heading = texture_direction(parameters, at.x, at.y) + (direction == 0 ? 0.0 : kPi);
    for (int step = 0; step < half_steps; ++step) {
      // Follow the local texture direction (the sign that keeps going the same way), plus a
      // random deviation; the fracture wanders but stays with the weak direction.
      double local = texture_direction(parameters, at.x, at.y);
      if (std::cos(local - heading) < 0) local += kPi;
      // A running fracture keeps most of its heading (the tip's stress field), turning towards
      // the weak direction a little at each step.
      const double turn = std::remainder(local - heading, 2.0 * kPi);
      heading += 0.35 * turn + stream.normal(0.0, 0.12);
      at = {at.x + kStep * std::cos(heading), at.y + kStep * std::sin(heading)};
      const double jag = stream.normal(0.0, 0.45);
      out.push_back({at.x - jag * std::sin(heading), at.y + jag * std::cos(heading)});
    }
  }
  Polyline line;
  for (auto it = backward.rbegin(); it != backward.rend(); ++it) line.points.push_back(*it);
  line.points.push_back(start);
  for (const Point& point : forward) line.points.push_back(point);
  const size_t count = line.points.size();
  for (size_t i = 0; i < count; ++i) {
    const double t = double(i) / double(count - 1);
    // Griffith crack: opening proportional to sqrt(1 - (2t - 1)^2), an ellipse along its length.
    line.widths.push_back(opening * std::sqrt(std::max(0.0, 1.0 - std::pow(2.0 * t - 1.0, 2))));
  }
  return line;
}

double clamp_size(double value, int size, double fraction, double minimum) {
  return std::max(minimum, std::min(value, fraction * size));
}

DefectPlan plan_woven(DefectKind kind, const SurfaceParameters& parameters, RandomStream& stream) {
  const int size = parameters.size;
  const WeaveParameters& weave = parameters.weave;
  DefectPlan plan;
  plan.kind = kind;
  switch (kind) {
    case DefectKind::hole: {
      plan.variant = stream.chance(0.5) ? 1 : 0;  // 0 a round puncture, 1 a torn hole
      const double radius = clamp_size(stream.uniform(6.0, 16.0), size, 0.16, 2.5);
      plan.region = make_blob(random_centre(size, stream, 0.28), radius, stream.uniform(0.7, 1.4),
                              stream.uniform(0.0, kPi), plan.variant == 1 ? 0.55 : 0.15, stream);
      plan.fray = std::min(0.6 * radius, stream.uniform(0.2, 0.7) * weave.warp_pitch);
      break;
    }
    case DefectKind::cut: {
      const double length = clamp_size(stream.uniform(0.18, 0.45) * size, size, 0.5, 6.0);
      const double opening = stream.uniform(2.0, 4.5);
      const double angle = stream.uniform(0.0, kPi);
      const Point centre = random_centre(size, stream, 0.3);
      const Point start{centre.x - 0.5 * length * std::cos(angle), centre.y - 0.5 * length * std::sin(angle)};
      plan.path = make_stroke(start, angle, length, stream.normal(0.0, 0.25), 9,
                              [&](double t) { return opening * std::pow(std::max(0.0, 1.0 - std::pow(2.0 * t - 1.0, 2)), 0.35); },
                              stream);
      // Cut ends spring back from the cut: they reach at most a third of the way into the slit.
      plan.fray = stream.uniform(0.1, 0.35) * opening;
      break;
    }
    case DefectKind::broken_thread: {
      const Point at = random_centre(size, stream, 0.3);
      const Point fabric = fabric_coordinates(parameters, at.x, at.y);
      ThreadSegment segment;
      segment.axis = stream.chance(0.5) ? ThreadAxis::warp : ThreadAxis::weft;
      const double pitch = segment.axis == ThreadAxis::warp ? weave.warp_pitch : weave.weft_pitch;
      const double across = segment.axis == ThreadAxis::warp ? fabric.x : fabric.y;
      const double along = segment.axis == ThreadAxis::warp ? fabric.y : fabric.x;
      segment.thread = int64_t(std::llround(across / pitch));
      plan.variant = stream.chance(0.35) ? 1 : 0;  // 0 broken over a stretch, 1 missing end to end
      if (plan.variant == 1) {
        segment.start = -2.0 * size;
        segment.end = 3.0 * size;
      } else {
        const double length = std::max(3.0 * pitch, stream.uniform(0.2, 0.6) * size);
        segment.start = along - stream.uniform(0.3, 0.7) * length;
        segment.end = segment.start + length;
      }
      plan.missing_thread = segment;
      plan.fray = 0.0;
      break;
    }
    case DefectKind::knot: {
      const Point at = random_centre(size, stream, 0.25);
      const Point fabric = fabric_coordinates(parameters, at.x, at.y);
      ThreadKnot knot;
      knot.axis = stream.chance(0.5) ? ThreadAxis::warp : ThreadAxis::weft;
      const double pitch = knot.axis == ThreadAxis::warp ? weave.warp_pitch : weave.weft_pitch;
      knot.thread = int64_t(std::llround((knot.axis == ThreadAxis::warp ? fabric.x : fabric.y) / pitch));
      knot.along = knot.axis == ThreadAxis::warp ? fabric.y : fabric.x;
      plan.variant = stream.chance(0.5) ? 1 : 0;  // 0 a compact knot, 1 a long slub
      knot.amplitude = plan.variant == 0 ? stream.uniform(1.6, 2.6) : stream.uniform(0.8, 1.4);
      knot.length = (plan.variant == 0 ? stream.uniform(0.6, 1.1) : stream.uniform(1.5, 3.0)) * pitch;
      plan.thread_knot = knot;
      break;
    }
    case DefectKind::stain: break;  // shared with the solid surfaces below
    default:
      throw Error(concat("plan_defect: defect '", defect_name(kind), "' does not occur on ", surface_name(parameters.type)));
  }
  return plan;
}

DefectPlan plan_stain(const SurfaceParameters& parameters, RandomStream& stream) {
  const int size = parameters.size;
  DefectPlan plan;
  plan.kind = DefectKind::stain;
  const Point centre = random_centre(size, stream, 0.28);
  const double radius = clamp_size(stream.uniform(9.0, 30.0), size, 0.2, 3.0);
  double aspect = stream.uniform(0.8, 1.25);
  double angle = stream.uniform(0.0, kPi);
  if (parameters.type == SurfaceType::wood) {
    aspect = stream.uniform(1.6, 2.6);  // wicks along the grain
    angle = texture_direction(parameters, centre.x, centre.y);
  }
  plan.region = make_blob(centre, radius, aspect, angle, 0.3, stream);
  plan.edge = stream.uniform(1.5, 4.0);
  // Stone is porous: the stain soaks in and shows paler than on a fabric's fibres.
  plan.strength = parameters.type == SurfaceType::marble ? stream.uniform(0.5, 0.85) : stream.uniform(0.65, 1.0);
  // Dye shows on light materials; on dark ones an oil stain (darker, translucent) is what is seen.
  double surface_luminance = 0.5;
  if (is_woven(parameters.type)) surface_luminance = luminance(parameters.weave.warp_colour);
  if (parameters.type == SurfaceType::wood) surface_luminance = luminance(parameters.wood.earlywood);
  if (parameters.type == SurfaceType::marble) surface_luminance = luminance(parameters.marble.base);
  plan.variant = surface_luminance < 0.3 || stream.chance(0.4) ? 1 : 0;
  // Coffee, rust, ink, red wine, machine grease.
  static const Rgb dyes[] = {{0.52, 0.34, 0.18}, {0.62, 0.32, 0.14}, {0.28, 0.32, 0.62}, {0.55, 0.20, 0.26}, {0.40, 0.39, 0.36}};
  plan.colour = dyes[size_t(stream.integer(int64_t(std::size(dyes))))];
  return plan;
}

DefectPlan plan_solid(DefectKind kind, const SurfaceParameters& parameters, RandomStream& stream) {
  const int size = parameters.size;
  DefectPlan plan;
  plan.kind = kind;
  switch (kind) {
    case DefectKind::hole: {
      const Point centre = random_centre(size, stream, 0.28);
      if (parameters.type == SurfaceType::wood) {
        plan.variant = stream.chance(0.5) ? 1 : 0;  // 0 a bore hole, 1 a knot hole
        const double radius = clamp_size(plan.variant == 0 ? stream.uniform(3.0, 7.0) : stream.uniform(6.0, 13.0), size, 0.14, 2.5);
        plan.region = make_blob(centre, radius, plan.variant == 0 ? 1.0 : stream.uniform(1.3, 1.9),
                                texture_direction(parameters, centre.x, centre.y), plan.variant == 0 ? 0.0 : 0.12, stream);
      } else {
        const double radius = clamp_size(stream.uniform(5.0, 15.0), size, 0.16, 2.5);
        plan.region = make_blob(centre, radius, stream.uniform(0.7, 1.4), stream.uniform(0.0, kPi), 0.6, stream);
      }
      break;
    }
    case DefectKind::scratch: {
      const double length = clamp_size(stream.uniform(0.3, 0.7) * size, size, 0.8, 6.0);
      const double angle = stream.uniform(0.0, 2.0 * kPi);
      const Point centre = random_centre(size, stream, 0.3);
      const Point start{centre.x - 0.5 * length * std::cos(angle), centre.y - 0.5 * length * std::sin(angle)};
      const double width = stream.uniform(1.2, 2.6);
      plan.path = make_stroke(start, angle, length, stream.normal(0.0, 0.3), 16,
                              [&](double t) { return width * std::pow(std::sin(kPi * std::clamp(t, 0.02, 0.98)), 0.3); }, stream);
      plan.strength = stream.uniform(0.6, 1.0);
      break;
    }
    case DefectKind::crack: {
      const double length = clamp_size(stream.uniform(0.25, 0.55) * size, size, 0.7, 8.0);
      plan.path = trace_crack(parameters, random_centre(size, stream, 0.3), length, stream.uniform(1.2, 2.8), stream);
      break;
    }
    case DefectKind::knot: {
      DFORGE_CHECK(parameters.type == SurfaceType::wood, "plan_defect: defect 'knot' does not occur on ",
                   surface_name(parameters.type));
      plan.variant = stream.chance(0.5) ? 1 : 0;  // 0 a sound knot, 1 a dead knot
      const Point centre = random_centre(size, stream, 0.28);
      const double radius = clamp_size(stream.uniform(6.0, 14.0), size, 0.14, 3.0);
      plan.region = make_blob(centre, radius, stream.uniform(1.2, 1.8), texture_direction(parameters, centre.x, centre.y),
                              0.08, stream);
      break;
    }
    default:
      throw Error(concat("plan_defect: defect '", defect_name(kind), "' does not occur on ", surface_name(parameters.type)));
  }
  return plan;
}

// --- drawing ------------------------------------------------------------------------------------

struct Planes {
  float* red;
  float* green;
  float* blue;
  float* backlight;
  float* material;
  float* mask;
};

Planes planes_of(SurfaceLayers& layers) {
  const size_t plane = size_t(layers.size) * size_t(layers.size);
  return {layers.front.data(), layers.front.data() + plane, layers.front.data() + 2 * plane, layers.backlight.data(),
          layers.material.data(), layers.mask.data()};
}

void draw_stain(const DefectPlan& defect, const SurfaceParameters& parameters, SurfaceLayers& layers) {
  const Blob& blob = *defect.region;
  const int size = layers.size;
  Planes planes = planes_of(layers);
  const NoiseTable& table = *parameters.noise;
  const double cosine = std::cos(parameters.angle), sine = std::sin(parameters.angle);
  const double reach = 2.5 * defect.edge + 0.4 * std::max(blob.radius_x, blob.radius_y);
  const PixelBox box = blob.box(reach).clip(size);
  const NoiseField interior = parameters.field(9.0, 20);
  const NoiseField rim = parameters.field(3.0, 21);
  const bool oil = defect.variant == 1;
  for (int row = box.y0; row < box.y1; ++row) {
    for (int column = box.x0; column < box.x1; ++column) {
      const double x = column + 0.5, y = row + 0.5;
      // Capillary fingers: noise stretched along the texture's directions (both thread
      // directions of a fabric, the grain of wood), added to the outline's distance.
      const double u = cosine * x + sine * y, v = -sine * x + cosine * y;
      double wick = 0.0;
      if (is_woven(parameters.type)) {
        wick = std::max(table.fbm(u / 1.8 + parameters.noise_x + 3.0, v / 14.0 + parameters.noise_y, 2),
                        table.fbm(u / 14.0 + parameters.noise_x, v / 1.8 + parameters.noise_y + 5.0, 2));
      } else if (parameters.type == SurfaceType::wood) {
        const double grain = blob.angle;
        const double along = std::cos(grain) * x + std::sin(grain) * y, across = -std::sin(grain) * x + std::cos(grain) * y;
        wick = table.fbm(along / 16.0 + parameters.noise_x, across / 1.6 + parameters.noise_y, 2);
      } else {
        wick = table.fbm(x / 6.0 + parameters.noise_x, y / 6.0 + parameters.noise_y, 3);
      }
      const double distance = blob.signed_distance(x, y) - 0.35 * blob.radius_y * std::max(0.0, wick) -
                              0.6 * defect.edge * rim.value(x, y);
      const double alpha = smoothstep(defect.edge, -defect.edge, distance);
      if (alpha <= 0.0) continue;
      // Coffee ring: solute piles up just inside the edge.
      const double ring = oil ? 0.0 : 0.7 * std::exp(-std::pow((distance + 0.5 * defect.edge) / (0.45 * defect.edge), 2));
      const double concentration =
          std::clamp(defect.strength * alpha * (0.7 + 0.3 * interior.fbm(x, y, 2) + ring), 0.0, 1.3);
      const size_t pixel = size_t(row) * size_t(size) + size_t(column);
      const double material = planes.material[pixel];
      if (oil) {
        const double darken = 1.0 - material * 0.5 * concentration;
        planes.red[pixel] = float(planes.red[pixel] * darken);
        planes.green[pixel] = float(planes.green[pixel] * darken * (1.0 - 0.04 * concentration));
        planes.blue[pixel] = float(planes.blue[pixel] * darken * (1.0 - 0.15 * concentration));
        const double transmission = std::max(1e-6, double(planes.backlight[pixel]));
        planes.backlight[pixel] = float(mix(transmission, std::pow(transmission, 1.0 - 0.55 * concentration), material));
      } else {
        planes.red[pixel] = float(planes.red[pixel] * mix(1.0, std::pow(defect.colour.red, concentration), material));
        planes.green[pixel] = float(planes.green[pixel] * mix(1.0, std::pow(defect.colour.green, concentration), material));
        planes.blue[pixel] = float(planes.blue[pixel] * mix(1.0, std::pow(defect.colour.blue, concentration), material));
        planes.backlight[pixel] =
            float(planes.backlight[pixel] * mix(1.0, std::pow(luminance(defect.colour), 1.5 * concentration), material));
      }
      // The stain's pixels: inside its half-strength outline.
      if (distance < 0.0) planes.mask[pixel] = 1.0f;
    }
  }
}

// Scratch profile along the stroke: tool chatter makes the groove come and go. The noise row
// depends on where the stroke starts, so each stroke chatters differently.
double chatter(const SurfaceParameters& parameters, const Polyline& path, double along) {
  const Point start = path.points.front();
  return std::clamp(0.65 + 0.9 * parameters.noise->value(along / 9.0 + parameters.noise_x + 0.37 * start.x,
                                                          200.5 + 0.37 * start.y),
                    0.0, 1.0);
}

void draw_scratch(const DefectPlan& defect, const SurfaceParameters& parameters, SurfaceLayers& layers) {
  const Polyline& path = *defect.path;
  const int size = layers.size;
  Planes planes = planes_of(layers);
  const PixelBox box = path.box(2.0).clip(size);
  const bool stone = parameters.type == SurfaceType::marble;
  for (int row = box.y0; row < box.y1; ++row) {
    for (int column = box.x0; column < box.x1; ++column) {
      const double x = column + 0.5, y = row + 0.5;
      const Polyline::Nearest nearest = path.nearest(x, y);
      const double half = 0.5 * nearest.width;
      const double coverage = std::clamp(half - nearest.distance + 0.5, 0.0, 1.0);
      if (coverage <= 0.0) continue;
      const double depth = defect.strength * chatter(parameters, path, nearest.along);
      // The groove wall on this side leans towards the centre line: its normal is the path's left
      // normal (-dy, dx) times -sign(side).
      const double normal_x = -nearest.direction_y, normal_y = nearest.direction_x;
      const double lean = nearest.side > 0 ? -0.7 : 0.7;
      const double facing = lean * (normal_x * parameters.light_x + normal_y * parameters.light_y);
      const double wall = 1.0 + 1.2 * facing;
      const double whitening = stone ? 0.5 : 0.45;
      const double amount = coverage * depth;
      const size_t pixel = size_t(row) * size_t(size) + size_t(column);
      for (float* channel : {planes.red, planes.green, planes.blue}) {
        const double value = channel[pixel];
        const double scratched = (value + whitening * (0.92 - value)) * wall;
        channel[pixel] = float(mix(value, scratched, amount));
      }
      planes.backlight[pixel] = float(planes.backlight[pixel] * (1.0 + 0.15 * amount));
      if (coverage >= 0.5 && depth >= 0.3) planes.mask[pixel] = 1.0f;
    }
  }
}

void draw_crack(const DefectPlan& defect, const SurfaceParameters& parameters, SurfaceLayers& layers) {
  const Polyline& path = *defect.path;
  const int size = layers.size;
  Planes planes = planes_of(layers);
  const PixelBox box = path.box(2.5).clip(size);
  const bool through = parameters.type == SurfaceType::wood;
  for (int row = box.y0; row < box.y1; ++row) {
    for (int column = box.x0; column < box.x1; ++column) {
      const double x = column + 0.5, y = row + 0.5;
      const Polyline::Nearest nearest = path.nearest(x, y);
      const double half = 0.5 * nearest.width;
      // Sub-pixel openings darken in proportion to the fraction of the pixel they occupy.
      const double coverage = std::clamp(half - nearest.distance + 0.5, 0.0, 1.0) * std::min(1.0, nearest.width);
      const double lip = std::exp(-std::pow((nearest.distance - half - 0.8) / 0.7, 2));
      if (coverage <= 0.0 && lip < 0.01) continue;
      // The lit lip: the edge whose wall faces the lamp catches a little more light.
      const double normal_x = -nearest.direction_y, normal_y = nearest.direction_x;
      const double facing = (nearest.side > 0 ? 1.0 : -1.0) * (normal_x * parameters.light_x + normal_y * parameters.light_y);
      const double brighten = 1.0 + 0.12 * lip * std::max(0.0, facing) * std::min(1.0, nearest.width);
      const size_t pixel = size_t(row) * size_t(size) + size_t(column);
      for (float* channel : {planes.red, planes.green, planes.blue})
        channel[pixel] = float(channel[pixel] * brighten * (1.0 - 0.82 * coverage));
      const double transmission = planes.backlight[pixel];
      planes.backlight[pixel] = float(through ? mix(transmission, 0.95, coverage) : transmission * (1.0 - 0.6 * coverage));
      if (coverage >= 0.25) planes.mask[pixel] = 1.0f;
    }
  }
}

void draw_solid_hole(const DefectPlan& defect, const SurfaceParameters& parameters, SurfaceLayers& layers) {
  const Blob& blob = *defect.region;
  const int size = layers.size;
  Planes planes = planes_of(layers);
  const PixelBox box = blob.box(2.0).clip(size);
  const NoiseField rough = parameters.field(1.3, 22);
  const bool stone = parameters.type == SurfaceType::marble;
  const double light_z = std::sqrt(std::max(0.1, 1.0 - parameters.light_x * parameters.light_x -
                                                     parameters.light_y * parameters.light_y));
  for (int row = box.y0; row < box.y1; ++row) {
    for (int column = box.x0; column < box.x1; ++column) {
      const double x = column + 0.5, y = row + 0.5;
      const double distance = blob.signed_distance(x, y);
      const double inside = std::clamp(0.5 - distance, 0.0, 1.0);
      if (inside <= 0.0) continue;
      const double radial_x = x - blob.centre.x, radial_y = y - blob.centre.y;
      const double radial_length = std::max(1e-6, std::hypot(radial_x, radial_y));
      // Facing of the pit wall: its normal leans towards the centre, i.e. along -radial.
      const double facing = -(radial_x * parameters.light_x + radial_y * parameters.light_y) / radial_length;
      const size_t pixel = size_t(row) * size_t(size) + size_t(column);
      if (stone) {
        // Shallow chip: fresh fracture scatters white; the walls (outer 40 %) are shaded by slope.
        const double wall = smoothstep(-0.4 * std::min(blob.radius_x, blob.radius_y), 0.0, distance);
        const double shade = (0.35 + 0.65 * std::max(0.0, light_z + 0.8 * wall * facing) / light_z) *
                             (1.0 + 0.12 * rough.value(x, y));
        for (float* channel : {planes.red, planes.green, planes.blue}) {
          const double fractured = (channel[pixel] + 0.4 * (0.9 - channel[pixel])) * shade;
          channel[pixel] = float(mix(channel[pixel], fractured, inside));
        }
        planes.backlight[pixel] = float(planes.backlight[pixel] * (1.0 + 0.9 * inside * (1.0 - wall)));
      } else {
        // Through hole: the backing seen through it is dark; the far wall (facing the lamp) is lit
        // in a crescent two pixels wide.
        const double crescent = smoothstep(-2.5, -0.5, distance) * std::max(0.0, -facing);
        for (float* channel : {planes.red, planes.green, planes.blue}) {
          const double inner = 0.08 * channel[pixel] + 0.55 * crescent * channel[pixel];
          channel[pixel] = float(mix(channel[pixel], inner, inside));
        }
        planes.backlight[pixel] = float(mix(planes.backlight[pixel], 1.0, inside));
        planes.material[pixel] = float(1.0 - inside);
      }
      if (distance < 0.0) planes.mask[pixel] = 1.0f;
    }
  }
}

}  // namespace

const char* defect_name(DefectKind kind) {
  switch (kind) {
    case DefectKind::hole: return "hole";
    case DefectKind::broken_thread: return "broken_thread";
    case DefectKind::stain: return "stain";
    case DefectKind::cut: return "cut";
    case DefectKind::knot: return "knot";
    case DefectKind::scratch: return "scratch";
    case DefectKind::crack: return "crack";
  }
  return "?";
}

DefectKind defect_from_name(const std::string& name) {
  for (DefectKind kind : {DefectKind::hole, DefectKind::broken_thread, DefectKind::stain, DefectKind::cut,
                          DefectKind::knot, DefectKind::scratch, DefectKind::crack})
    if (name == defect_name(kind)) return kind;
  throw Error(concat("datagen: unknown defect kind '", name,
                     "' (known: hole, broken_thread, stain, cut, knot, scratch, crack)"));
}

const std::vector<DefectKind>& defect_kinds_for(SurfaceType type) {
  static const std::vector<DefectKind> woven = {DefectKind::hole, DefectKind::broken_thread, DefectKind::stain,
                                                DefectKind::cut, DefectKind::knot};
  static const std::vector<DefectKind> wood = {DefectKind::hole, DefectKind::crack, DefectKind::stain,
                                               DefectKind::scratch, DefectKind::knot};
  static const std::vector<DefectKind> marble = {DefectKind::hole, DefectKind::crack, DefectKind::stain,
                                                 DefectKind::scratch};
  if (is_woven(type)) return woven;
  return type == SurfaceType::wood ? wood : marble;
}

DefectPlan plan_defect(DefectKind kind, const SurfaceParameters& parameters, RandomStream& stream) {
  const std::vector<DefectKind>& kinds = defect_kinds_for(parameters.type);
  DFORGE_CHECK(std::find(kinds.begin(), kinds.end(), kind) != kinds.end(), "plan_defect: defect '", defect_name(kind),
               "' does not occur on ", surface_name(parameters.type));
  if (kind == DefectKind::stain) return plan_stain(parameters, stream);
  if (is_woven(parameters.type)) return plan_woven(kind, parameters, stream);
  return plan_solid(kind, parameters, stream);
}

void apply_defect(const DefectPlan& defect, const SurfaceParameters& parameters, SurfaceLayers& layers) {
  switch (defect.kind) {
    case DefectKind::stain: draw_stain(defect, parameters, layers); break;
    case DefectKind::scratch: draw_scratch(defect, parameters, layers); break;
    case DefectKind::crack: draw_crack(defect, parameters, layers); break;
    case DefectKind::hole:
      if (!is_woven(parameters.type)) draw_solid_hole(defect, parameters, layers);
      break;
    default: break;  // built into the material by the renderer
  }
}

}  // namespace dforge::data
