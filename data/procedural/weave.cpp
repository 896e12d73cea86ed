// Woven fabric: plain weave, twill and printed plain weave, rendered thread by thread.
//
// Model. Warp threads run along the fabric coordinate v and sit at u = i * pitch + offset_i +
// wobble_i(v); weft threads run along u at v = j * pitch + offset_j + wobble_j(u). Each thread has
// its own width, tint and thickness irregularity along its length (yarn slubs), all drawn from
// Philox through the noise table. At the crossing of warp i and weft j the warp lies on top when
// (direction * i + j) mod (over + under) < over -- 1/1 for plain weave, 2/1, 3/1 or 2/2 for
// twill, whose diagonal wales come from that shift by one per pick. Between crossings a thread's
// height follows a cosine from +1 (over) to -1 (under) -- the crimp -- and the higher of the two
// threads at a pixel is the one seen. A thread's cross-section is a cylinder, so its normal tilts
// with the distance from its centre line; the frontlight shades it by Lambert's cosine law, the
// twisted plies add slanted ridges, and loose fibres a fine noise. Where no thread covers a pixel
// (the pores between yarns) the camera sees the dark backing.
//
// Backlight: the light that passes a pixel falls as T = exp(-tau * (chord_warp + chord_weft))
// (Beer-Lambert), chord being the thread's thickness there relative to its diameter; pores pass
// it all. Light spreads inside the fibres, which the final binomial blur imitates.
//
// Structural defects are built into the threads: a thread is absent where its centre line lies in
// a hole or a cut deeper than its fray (so cut ends reach into the hole by a per-thread amount and
// taper to a point), a missing thread is absent over its segment, and a knot multiplies a thread's
// width and lifts it above the weave. The mask is the pixels a removed thread covered, the hole or
// cut itself, or the knot's lump.
#include <algorithm>
#include <cmath>

#include "data/procedural/renderers.h"

namespace dforge::data {

namespace {

struct Yarn {
  double offset = 0.0;  // centre line offset, pixels
  double width = 1.0;   // width factor
  Rgb tint{1.0, 1.0, 1.0};
  double row = 0.0;     // noise row of this thread's along-length variation
  double phase = 0.0;   // noise phase along the thread
  double fray = 0.0;    // how far a cut end reaches into a hole, pixels
};

struct ThreadFamily {
  ThreadAxis axis = ThreadAxis::warp;
  double pitch = 8.0, cover = 0.8;
  int64_t first = 0;
  std::vector<Yarn> yarns;
  const Yarn& yarn(int64_t index) const {
    return yarns[size_t(std::clamp<int64_t>(index - first, 0, int64_t(yarns.size()) - 1))];
  }
};

int64_t positive_modulo(int64_t value, int64_t period) {
  const int64_t remainder = value % period;
  return remainder < 0 ? remainder + period : remainder;
}

ThreadFamily make_family(ThreadAxis axis, double pitch, double cover, int size, const WeaveParameters& weave,
                         double fray_scale, RandomStream stream) {
  ThreadFamily family;
  family.axis = axis;
  family.pitch = pitch;
  family.cover = cover;
  // Fabric coordinates of the image stay within [-size, 2 size] for any rotation and waviness.
  family.first = int64_t(std::floor(-double(size) / pitch)) - 4;
  const int64_t last = int64_t(std::ceil(2.0 * size / pitch)) + 4;
  family.yarns.resize(size_t(last - family.first + 1));
  const int64_t axis_label = axis == ThreadAxis::warp ? 0 : 1;
  for (size_t k = 0; k < family.yarns.size(); ++k) {
    Yarn& yarn = family.yarns[k];
    yarn.offset = stream.normal() * weave.position_jitter * pitch;
    yarn.width = std::clamp(1.0 + 0.6 * weave.thickness_variation * stream.normal(), 0.7, 1.3);
    const double shade = weave.colour_variation * stream.normal();
    yarn.tint = {1.0 + shade + 0.3 * weave.colour_variation * stream.normal(),
                 1.0 + shade + 0.3 * weave.colour_variation * stream.normal(),
                 1.0 + shade + 0.3 * weave.colour_variation * stream.normal()};
    yarn.row = double((int64_t(k) * 2 + axis_label * 97) % NoiseTable::kPeriod);
    yarn.phase = stream.uniform(0.0, 256.0);
    yarn.fray = stream.uniform(0.1, 1.0) * fray_scale;
  }
  return family;
}

// What one thread family contributes at a pixel.
struct Hit {
  double coverage = 0.0;        // fraction of the pixel the thread covers, defect included
  double clean_coverage = 0.0;  // the same without the defect
  double across = 0.0;          // signed distance from the centre line, pixels
  double half = 1.0;            // half width, pixels
  double thickening = 1.0;      // knot multiplier of the width
  double lump_slope = 0.0;      // slope of the knot's surface along the thread
  double thickness = 1.0;       // along-length thickness factor
  int64_t index = 0;
  ThreadAxis axis = ThreadAxis::warp;
  bool removed = false;         // the defect took away at least half of this thread here
  bool knotted = false;         // this pixel is on a knot's lump
};

struct WeaveContext {
  const SurfaceParameters* parameters = nullptr;
  const DefectPlan* defect = nullptr;
  ThreadFamily warp, weft;
  double cos_angle = 1.0, sin_angle = 0.0;
  NoiseField distortion_x, distortion_y, hair, fibre;
};

// How deep (pixels) thread `index` of `family` lies inside the part of the fabric the defect
// removes, at its centre point (centre_x, centre_y) and along-coordinate `along`; the thread is
// gone where depth > its fray and tapers over the last pixels before.
double removal_depth(const DefectPlan& defect, const ThreadFamily& family, int64_t index, double along,
                     double centre_x, double centre_y) {
  double depth = -1e30;
  if (defect.region && defect.kind == DefectKind::hole) depth = -defect.region->signed_distance(centre_x, centre_y);
  if (defect.path && defect.kind == DefectKind::cut) {
    const Polyline::Nearest nearest = defect.path->nearest(centre_x, centre_y);
    depth = std::max(depth, 0.5 * nearest.width - nearest.distance);
  }
  if (defect.missing_thread && defect.missing_thread->axis == family.axis && defect.missing_thread->thread == index) {
    const ThreadSegment& segment = *defect.missing_thread;
    depth = std::max(depth, std::min(along - segment.start, segment.end - along) + family.yarn(index).fray);
  }
  return depth;
}

// The thread of `family` that covers the point (across, along) of fabric coordinates most, with the
// defect applied. (x, y) is the pixel, (across_x, across_y) the family's across direction in the
// image, used to find the thread's centre point in the image for the defect's geometry.
Hit find_thread(const WeaveContext& context, const ThreadFamily& family, double across, double along, double x,
                double y, double across_x, double across_y) {
  const WeaveParameters& weave = context.parameters->weave;
  const NoiseTable& table = *context.parameters->noise;
  const DefectPlan* defect = context.defect;
  const double pitch = family.pitch;
  const int64_t base = int64_t(std::floor(across / pitch));
  Hit best;
  double best_score = -1.0;
  bool removed_here = false;  // a thread that covered this pixel was taken away
  // The widest a thread can reach from its nominal centre line: width, thickness and meander.
  const double reach = 0.5 * pitch * family.cover * 1.3 * (1.0 + weave.thickness_variation) + weave.wobble * pitch + 1.0;
  for (int64_t index = base - 1; index <= base + 2; ++index) {
    const Yarn& yarn = family.yarn(index);
    const bool knotted = defect != nullptr && defect->thread_knot && defect->thread_knot->axis == family.axis &&
                         defect->thread_knot->thread == index;
    const double nominal = double(index) * pitch + yarn.offset;
    if (std::abs(across - nominal) > reach * (knotted ? 1.0 + defect->thread_knot->amplitude : 1.0)) continue;
    const double wobble = weave.wobble * pitch * table.value(along / (5.0 * pitch) + yarn.phase, yarn.row);
    const double centre = nominal + wobble;
    const double distance = across - centre;
    const double thickness =
        1.0 + weave.thickness_variation * table.value(along / (1.6 * pitch) + yarn.phase, yarn.row + 1.0);
    double half = 0.5 * pitch * family.cover * yarn.width * thickness;
    Hit hit;
    hit.index = index;
    hit.axis = family.axis;
    hit.across = distance;
    hit.thickness = thickness;
    // Analytic anti-aliasing: the pixel is a unit box, the thread's edge a line through it.
    hit.clean_coverage = std::clamp(half - std::abs(distance) + 0.5, 0.0, 1.0);
    if (defect != nullptr) {
      if (knotted) {
        // The lump: a Gaussian swelling of the yarn, made knobbly by fibre bunches along it.
        const ThreadKnot& knot = *defect->thread_knot;
        const double s = (along - knot.along) / knot.length;
        const double knobble = 1.0 + 0.3 * table.value(along / 1.7 + yarn.phase, yarn.row + 2.0);
        const double swelling = knot.amplitude * std::exp(-s * s) * knobble;
        hit.thickening = 1.0 + swelling;
        // The lump's height is its extra half width, so its slope is half * d(thickening)/d(along).
        hit.lump_slope = half * swelling * (-2.0 * s / knot.length);
        half *= hit.thickening;
      }
      const double depth =
          removal_depth(*defect, family, index, along, x - distance * across_x, y - distance * across_y);
      constexpr double kTaper = 2.0;  // pixels over which a cut end thins to a point
      const double remaining = std::clamp((yarn.fray - depth) / kTaper, 0.0, 1.0);
      if (remaining < 1.0) {
        half *= std::sqrt(remaining);
        hit.removed = remaining < 0.5;
      }
    }
    hit.half = std::max(half, 1e-3);
    hit.coverage = std::clamp(half - std::abs(distance) + 0.5, 0.0, 1.0);
    hit.knotted = hit.thickening > 1.25 && hit.coverage >= 0.5;
    // Prefer the thread that covers the pixel; among equals, the one whose centre is nearer; a
    // knot's lump wins over the threads it lies on.
    const double score = hit.coverage + 0.01 * (1.0 - std::min(1.0, std::abs(distance) / hit.half)) +
                         (hit.thickening > 1.05 ? 0.5 * hit.coverage : 0.0);
    if (score > best_score) {
      best_score = score;
      best = hit;
    }
    removed_here |= hit.removed && hit.clean_coverage >= 0.5;
  }
  best.removed = removed_here;
  return best;
}

// +1 where warp `warp_index` passes over weft `weft_index`, -1 where under.
double warp_over(const WeaveParameters& weave, int64_t warp_index, int64_t weft_index) {
  const int64_t period = weave.over + weave.under;
  return positive_modulo(weave.twill_direction * warp_index + weft_index, period) < weave.over ? 1.0 : -1.0;
}

// Height (in [-1, 1]) and slope (per pixel) of thread `index` of `family` at `along`: a smooth
// cubic step (3t^2 - 2t^3, flat at both crossings) between the crossings with the other family,
// +1 where it lies over, -1 where under.
void crimp(const WeaveParameters& weave, const ThreadFamily& other, int64_t index, bool is_warp, double along,
           double& height, double& slope) {
  const int64_t first = int64_t(std::floor(along / other.pitch));
  const double centre0 = double(first) * other.pitch + other.yarn(first).offset;
  const double centre1 = double(first + 1) * other.pitch + other.yarn(first + 1).offset;
  const double span = std::max(centre1 - centre0, 0.25 * other.pitch);
  const double t = std::clamp((along - centre0) / span, 0.0, 1.0);
  const double level0 = is_warp ? warp_over(weave, index, first) : -warp_over(weave, first, index);
  const double level1 = is_warp ? warp_over(weave, index, first + 1) : -warp_over(weave, first + 1, index);
  const double blend = t * t * (3.0 - 2.0 * t);
  height = level0 + (level1 - level0) * blend;
  slope = (level1 - level0) * 6.0 * t * (1.0 - t) / span;
}

// Multiplicative ink filter of a printed pattern at fabric point (u, v): per-channel reflectance
// factor, and the transmission factor for the backlight (pigment absorbs what it does not reflect).
struct Ink {
  double red = 1.0, green = 1.0, blue = 1.0, transmission = 1.0;
};

void apply_ink(Ink& ink, const Rgb& colour, double coverage) {
  ink.red *= 1.0 - coverage * (1.0 - colour.red);
  ink.green *= 1.0 - coverage * (1.0 - colour.green);
  ink.blue *= 1.0 - coverage * (1.0 - colour.blue);
  ink.transmission *= 1.0 - 0.7 * coverage * (1.0 - (colour.red + colour.green + colour.blue) / 3.0);
}

// Distance from (a, b) (in lattice units) to the nearest point of a hexagonal lattice, and the
// angle seen from it.
void hex_lattice(double a, double b, double& distance, double& angle) {
  constexpr double kRowHeight = 0.86602540378;
  const double row = std::floor(b / kRowHeight);
  double best = 1e30, best_x = 0.0, best_y = 0.0;
  for (double lattice_row = row; lattice_row <= row + 1; ++lattice_row) {
    const double shift = std::fmod(std::abs(lattice_row), 2.0) == 1.0 ? 0.5 : 0.0;
    const double column = std::floor(a - shift);
    for (double lattice_column = column; lattice_column <= column + 1; ++lattice_column) {
      const double dx = a - (lattice_column + shift), dy = b - lattice_row * kRowHeight;
      const double squared = dx * dx + dy * dy;
      if (squared < best) {
        best = squared;
        best_x = dx;
        best_y = dy;
      }
    }
  }
  distance = std::sqrt(best);
  angle = std::atan2(best_y, best_x);
}

// A stripe of relative `width` at the start of every period of `coordinate`, with soft edges of
// about a pixel (ink bleeding along the fibres).
double stripe(double coordinate, double period, double width) {
  const double position = coordinate - period * std::floor(coordinate / period);
  const double half = 0.5 * width * period;
  const double centre = 0.5 * width * period;
  return smoothstep(half + 0.7, half - 0.7, std::abs(position - centre));
}

Ink print_at(const WeaveParameters& weave, double u, double v, double bleed) {
  Ink ink;
  const double spacing = weave.print_spacing;
  const double pu = u + weave.print_phase_u, pv = v + weave.print_phase_v;
  switch (weave.print_motif) {
    case 1: {  // polka dots on a hexagonal lattice
      double distance = 0.0, angle = 0.0;
      hex_lattice(pu / spacing, pv / spacing, distance, angle);
      const double radius = 0.27 * spacing;
      apply_ink(ink, weave.ink_primary, smoothstep(radius + 0.8, radius - 0.8, distance * spacing + bleed));
      break;
    }
    case 2: {  // warp-wise stripes: a broad band and a thin one
      apply_ink(ink, weave.ink_primary, stripe(pu + bleed, spacing, 0.32));
      apply_ink(ink, weave.ink_secondary, stripe(pu + 0.55 * spacing + bleed, spacing, 0.07));
      break;
    }
    case 3: {  // gingham: translucent bands both ways, darker where they overlap
      Rgb light{0.5 + 0.5 * weave.ink_primary.red, 0.5 + 0.5 * weave.ink_primary.green,
                0.5 + 0.5 * weave.ink_primary.blue};
      apply_ink(ink, light, stripe(pu + bleed, spacing, 0.5));
      apply_ink(ink, light, stripe(pv + bleed, spacing, 0.5));
      break;
    }
    default: {  // rosettes: five petals round a centre, on a hexagonal lattice
      double distance = 0.0, angle = 0.0;
      hex_lattice(pu / spacing, pv / spacing, distance, angle);
      const double radius = 0.36 * spacing * (0.45 + 0.55 * std::abs(std::cos(2.5 * angle)));
      const double d = distance * spacing + bleed;
      apply_ink(ink, weave.ink_primary, smoothstep(radius + 0.8, radius - 0.8, d));
      apply_ink(ink, weave.ink_secondary, smoothstep(0.1 * spacing + 0.8, 0.1 * spacing - 0.8, d));
      break;
    }
  }
  return ink;
}

struct Shaded {
  double red = 0.0, green = 0.0, blue = 0.0;
};

// Lambert shading of a visible thread: the cylinder's normal tilts across it by across / half,
// along it by the crimp slope; ply ridges slant across it; loose fibres add fine noise.
Shaded shade_thread(const WeaveContext& context, const Hit& hit, const Rgb& colour, const Yarn& yarn, double along,
                    double slope, double across_x, double across_y, double x, double y, bool underneath) {
  const SurfaceParameters& parameters = *context.parameters;
  const WeaveParameters& weave = parameters.weave;
  const double relative = std::clamp(hit.across / hit.half, -1.0, 1.0);
  const double normal_across = 0.85 * relative;
  // Crimp: the thread's height swings by about its radius between over and under (height in
  // [-1, 1] times 0.6 half widths); a knot's lump tilts the surface along the thread by its own slope.
  const double crimp_tilt = hit.thickening > 1.05 ? 0.0 : -slope * 0.6 * hit.half;
  const double normal_along = std::clamp(crimp_tilt - hit.lump_slope, -0.8, 0.8);
  const double normal_z = std::sqrt(std::max(0.05, 1.0 - normal_across * normal_across - normal_along * normal_along));
  // Along directions: +v for the warp, +u for the weft (a quarter turn either way from across).
  const double along_x = hit.axis == ThreadAxis::warp ? -across_y : across_y;
  const double along_y = hit.axis == ThreadAxis::warp ? across_x : -across_x;
  const double nx = normal_across * across_x + normal_along * along_x;
  const double ny = normal_across * across_y + normal_along * along_y;
  const double light_z = std::sqrt(std::max(0.1, 1.0 - parameters.light_x * parameters.light_x -
                                                     parameters.light_y * parameters.light_y));
  const double lambert = std::max(0.0, nx * parameters.light_x + ny * parameters.light_y + normal_z * light_z);
  // Ply ridges: a periodic profile (a parabola per period, within a few percent of a cosine).
  const double phase = (along + 1.4 * hit.across) / weave.twist_period;
  const double centred = phase - std::floor(phase) - 0.5;
  const double ply = 4.0 * centred * centred;
  const double fibres = context.fibre.value(along * 1.3 + yarn.phase * 7.0, hit.across * 3.0 + yarn.row * 5.0);
  double shade = (0.32 + 0.78 * lambert) * (0.86 + 0.14 * ply) * (1.0 + weave.hairiness * fibres);
  shade *= 1.0 + 0.5 * weave.hairiness * context.hair.value(x, y);
  if (underneath) shade *= 0.82;  // the crossing thread shadows the one below it
  if (hit.thickening > 1.05) {
    // A knot's fibres are tangled, not aligned: isotropic fine noise instead of ply ridges.
    const double tangle = context.fibre.value(1.7 * x + 31.0, 1.7 * y + 17.0);
    shade *= 1.0 + 0.35 * std::min(1.0, hit.thickening - 1.0) * tangle;
  }
  // Sheen of the fibres: a weak highlight around the cylinder's crest.
  const double crest = std::max(0.0, 1.0 - std::abs(relative - 0.3 * parameters.light_x));
  const double crest_squared = crest * crest;
  const double sheen = 0.05 * crest_squared * crest_squared * crest_squared;
  // A knot is a tangle of fibres, many of them immature: they take up less dye and scatter more
  // light, so a knot shows paler than its yarn (the white specks of neps in dyed cloth).
  const double pale = hit.thickening > 1.05 ? 0.3 * std::min(1.0, hit.thickening - 1.0) : 0.0;
  return {mix(colour.red * yarn.tint.red, 0.85, pale) * shade + sheen,
          mix(colour.green * yarn.tint.green, 0.83, pale) * shade + sheen,
          mix(colour.blue * yarn.tint.blue, 0.78, pale) * shade + sheen};
}

// Fabric coordinates: the image point moved by the cloth's low-frequency waviness, then turned by
// the fabric's angle and divided by its scale.
struct FabricMapping {
  double half = 128.0, cos_angle = 1.0, sin_angle = 0.0, scale = 1.0, distortion = 0.0;
  NoiseField wave_x, wave_y;

  explicit FabricMapping(const SurfaceParameters& parameters)
      : half(0.5 * parameters.size),
        cos_angle(std::cos(parameters.angle)),
        sin_angle(std::sin(parameters.angle)),
        scale(parameters.scale),
        distortion(parameters.distortion),
        wave_x(parameters.field(48.0, 1)),
        wave_y(parameters.field(48.0, 2)) {}

  Point operator()(double x, double y) const {
    const double warped_x = x + distortion * wave_x.fbm(x, y, 2) - half;
    const double warped_y = y + distortion * wave_y.fbm(x, y, 2) - half;
    return {(cos_angle * warped_x + sin_angle * warped_y) / scale + half,
            (-sin_angle * warped_x + cos_angle * warped_y) / scale + half};
  }
};

}  // namespace

Point fabric_coordinates(const SurfaceParameters& parameters, double x, double y) {
  return FabricMapping(parameters)(x, y);
}

SurfaceLayers render_weave(const SurfaceParameters& parameters, const DefectPlan* defect) {
  const WeaveParameters& weave = parameters.weave;
  const int size = parameters.size;
  SurfaceLayers layers(size);
  const RandomStream& stream = parameters.structure;
  WeaveContext context;
  context.parameters = &parameters;
  context.defect = defect;
  const double fray_scale = defect ? defect->fray : 0.0;
  context.warp = make_family(ThreadAxis::warp, weave.warp_pitch, weave.warp_cover, size, weave, fray_scale, stream.fork(1));
  context.weft = make_family(ThreadAxis::weft, weave.weft_pitch, weave.weft_cover, size, weave, fray_scale, stream.fork(2));
  context.cos_angle = std::cos(parameters.angle);
  context.sin_angle = std::sin(parameters.angle);
  context.hair = parameters.field(0.9, 3);
  context.fibre = parameters.field(1.0, 4);
  const NoiseField bleed = parameters.field(2.5, 5);
  const NoiseField mottle = parameters.field(60.0, 6);
  // Across directions of the two families in the image frame (the fabric is rotated by angle).
  const double warp_across_x = context.cos_angle, warp_across_y = context.sin_angle;
  const double weft_across_x = -context.sin_angle, weft_across_y = context.cos_angle;
  const size_t plane = size_t(size) * size_t(size);
  const FabricMapping mapping(parameters);

#pragma omp parallel for schedule(static) if (size >= 512)
  for (int row = 0; row < size; ++row) {
    for (int column = 0; column < size; ++column) {
      const double x = column + 0.5, y = row + 0.5;
      const Point fabric = mapping(x, y);
      const double u = fabric.x, v = fabric.y;
      const Hit warp = find_thread(context, context.warp, u, v, x, y, warp_across_x, warp_across_y);
      const Hit weft = find_thread(context, context.weft, v, u, x, y, weft_across_x, weft_across_y);
      double warp_height = 0.0, warp_slope = 0.0, weft_height = 0.0, weft_slope = 0.0;
      crimp(weave, context.weft, warp.index, true, v, warp_height, warp_slope);
      crimp(weave, context.warp, weft.index, false, u, weft_height, weft_slope);
      // Which thread is seen: the higher crest (crimp plus the cylinder's bulge); a knot sits on top.
      const double warp_z = warp_height + 0.35 * std::sqrt(std::max(0.0, 1.0 - (warp.across / warp.half) * (warp.across / warp.half))) +
                            3.0 * (warp.thickening - 1.0);
      const double weft_z = weft_height + 0.35 * std::sqrt(std::max(0.0, 1.0 - (weft.across / weft.half) * (weft.across / weft.half))) +
                            3.0 * (weft.thickening - 1.0);
      const bool warp_on_top = warp_z >= weft_z;
      const Yarn& warp_yarn = context.warp.yarn(warp.index);
      const Yarn& weft_yarn = context.weft.yarn(weft.index);
      Shaded warp_colour, weft_colour;
      if (warp.coverage > 0.0)
        warp_colour = shade_thread(context, warp, weave.warp_colour, warp_yarn, v, warp_slope, warp_across_x,
                                   warp_across_y, x, y, !warp_on_top && weft.coverage > 0.5);
      if (weft.coverage > 0.0)
        weft_colour = shade_thread(context, weft, weave.weft_colour, weft_yarn, u, weft_slope, weft_across_x,
                                   weft_across_y, x, y, warp_on_top && warp.coverage > 0.5);
      Ink ink;
      if (weave.print_motif != 0) {
        ink = print_at(weave, u, v, 0.9 * bleed.value(x, y));
        for (Shaded* colour : {&warp_colour, &weft_colour}) {
          colour->red *= ink.red;
          colour->green *= ink.green;
          colour->blue *= ink.blue;
        }
      }
      const Shaded& top = warp_on_top ? warp_colour : weft_colour;
      const Shaded& bottom = warp_on_top ? weft_colour : warp_colour;
      const double top_coverage = warp_on_top ? warp.coverage : weft.coverage;
      const double bottom_coverage = warp_on_top ? weft.coverage : warp.coverage;
      // Pores show the backing, faintly lit by light scattered from the yarns around them.
      const double pore = 1.0 - bottom_coverage;
      const double under = 1.0 - top_coverage;
      // Where a thread was taken away, what remains lies in the gap it left, below the cloth's
      // surface, and gets less of the frontlight (ambient occlusion).
      const double recess = warp.removed || weft.removed ? 0.6 : 1.0;
      const double light = recess * (1.0 + 0.06 * mottle.fbm(x, y, 2));
      const size_t pixel = size_t(row) * size_t(size) + size_t(column);
      layers.front[pixel] = float(light * (top_coverage * top.red +
                                           under * (bottom_coverage * bottom.red + pore * weave.pore_colour.red)));
      layers.front[plane + pixel] = float(light * (top_coverage * top.green +
                                                   under * (bottom_coverage * bottom.green + pore * weave.pore_colour.green)));
      layers.front[2 * plane + pixel] = float(light * (top_coverage * top.blue +
                                                       under * (bottom_coverage * bottom.blue + pore * weave.pore_colour.blue)));
      // Beer-Lambert through both layers of yarn; chord = relative thickness at this point of the
      // cylinder's cross-section; a knot's lump is thicker still.
      const double warp_chord = warp.coverage * std::sqrt(std::max(0.0, 1.0 - (warp.across / warp.half) * (warp.across / warp.half))) *
                                warp.thickness * warp.thickening * std::sqrt(warp.thickening);
      const double weft_chord = weft.coverage * std::sqrt(std::max(0.0, 1.0 - (weft.across / weft.half) * (weft.across / weft.half))) *
                                weft.thickness * weft.thickening * std::sqrt(weft.thickening);
      const double depth = weave.optical_depth * (warp_chord + weft_chord);
      layers.backlight[pixel] = float(std::exp(-depth) * ink.transmission);
      layers.material[pixel] = float(1.0 - (1.0 - warp.coverage) * (1.0 - weft.coverage));
      if (defect != nullptr) {
        bool in_defect = warp.removed || weft.removed || warp.knotted || weft.knotted;
        if (defect->kind == DefectKind::hole && defect->region) in_defect |= defect->region->signed_distance(x, y) < 0.0;
        if (defect->kind == DefectKind::cut && defect->path) {
          const Polyline::Nearest nearest = defect->path->nearest(x, y);
          in_defect |= nearest.distance < 0.5 * nearest.width;
        }
        layers.mask[pixel] = in_defect ? 1.0f : 0.0f;
      }
    }
  }
  // Light diffuses sideways inside the fibres before it leaves the fabric.
  binomial_blur(layers.backlight, size, 2);
  return layers;
}

}  // namespace dforge::data
