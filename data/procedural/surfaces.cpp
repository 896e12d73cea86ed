// Surface names, the product and per-image parameters of each surface, and the dispatch to the
// renderers. Products are drawn from small palettes of real materials (linen, denim, oak, Carrara
// marble, ...) so every seed gives a plausible product; images then drift around their product:
// rotation of a few degrees, scale by a few percent, exposure and white balance, lamp position.
#include <algorithm>
#include <cmath>

#include "data/procedural/renderers.h"
#include "runtime/error.h"

namespace dforge::data {

namespace {

constexpr double kPi = 3.14159265358979323846;

Rgb scaled(const Rgb& colour, double factor) { return {colour.red * factor, colour.green * factor, colour.blue * factor}; }

// White balance and exposure of one image: a common gain and a small per-channel drift.
Rgb drifted(const Rgb& colour, double gain, const Rgb& balance) {
  return {colour.red * gain * balance.red, colour.green * gain * balance.green, colour.blue * gain * balance.blue};
}

template <size_t N>
const Rgb& pick(const Rgb (&palette)[N], RandomStream& stream) {
  return palette[size_t(stream.integer(int64_t(N)))];
}

void sample_weave(SurfaceType type, WeaveParameters& weave, RandomStream& product) {
  if (type == SurfaceType::plain_weave) {
    // Linen, grey canvas, navy, brick, olive, chambray (blue warp, white weft), hessian.
    static const Rgb warps[] = {{0.74, 0.66, 0.53}, {0.58, 0.58, 0.59}, {0.17, 0.21, 0.38}, {0.62, 0.22, 0.17},
                                {0.44, 0.46, 0.27}, {0.33, 0.44, 0.66}, {0.62, 0.50, 0.32}};
    static const Rgb wefts[] = {{0.70, 0.62, 0.49}, {0.55, 0.55, 0.57}, {0.20, 0.24, 0.40}, {0.58, 0.20, 0.16},
                                {0.42, 0.44, 0.26}, {0.86, 0.86, 0.84}, {0.58, 0.47, 0.30}};
    const int64_t choice = product.integer(int64_t(std::size(warps)));
    weave.warp_colour = warps[choice];
    weave.weft_colour = wefts[choice];
    weave.over = 1;
    weave.under = 1;
    weave.warp_pitch = product.uniform(7.0, 11.0);
    weave.weft_pitch = weave.warp_pitch * product.uniform(0.85, 1.15);
    weave.warp_cover = product.uniform(0.72, 0.86);
    weave.weft_cover = product.uniform(0.72, 0.86);
    weave.position_jitter = product.uniform(0.03, 0.07);
    weave.wobble = product.uniform(0.04, 0.1);
    weave.thickness_variation = product.uniform(0.08, 0.18);
    weave.optical_depth = product.uniform(1.4, 2.2);
  } else if (type == SurfaceType::twill) {
    // Denim (indigo warp, ecru weft), khaki gabardine, charcoal suiting, olive drill.
    static const Rgb warps[] = {{0.13, 0.19, 0.40}, {0.60, 0.52, 0.36}, {0.26, 0.26, 0.28}, {0.36, 0.38, 0.24}};
    static const Rgb wefts[] = {{0.82, 0.79, 0.70}, {0.56, 0.49, 0.33}, {0.44, 0.44, 0.46}, {0.52, 0.50, 0.38}};
    const int64_t choice = product.integer(int64_t(std::size(warps)));
    weave.warp_colour = warps[choice];
    weave.weft_colour = wefts[choice];
    static const int floats[][2] = {{2, 1}, {3, 1}, {2, 2}};
    const int64_t pattern = product.integer(3);
    weave.over = floats[pattern][0];
    weave.under = floats[pattern][1];
    weave.twill_direction = product.chance(0.5) ? 1 : -1;
    weave.warp_pitch = product.uniform(4.8, 6.5);
    weave.weft_pitch = weave.warp_pitch * product.uniform(0.95, 1.25);
    weave.warp_cover = product.uniform(0.88, 0.97);
    weave.weft_cover = product.uniform(0.85, 0.95);
    weave.position_jitter = product.uniform(0.02, 0.05);
    weave.wobble = product.uniform(0.03, 0.06);
    weave.thickness_variation = product.uniform(0.06, 0.14);
    weave.optical_depth = product.uniform(1.8, 2.6);
  } else {
    // A fine white or cream plain weave, printed with a repeating motif.
    static const Rgb bases[] = {{0.90, 0.89, 0.86}, {0.92, 0.88, 0.78}, {0.86, 0.88, 0.90}};
    static const Rgb inks[] = {{0.72, 0.12, 0.14}, {0.12, 0.18, 0.42}, {0.14, 0.45, 0.28},
                               {0.86, 0.62, 0.12}, {0.10, 0.10, 0.12}, {0.55, 0.20, 0.50}};
    weave.warp_colour = pick(bases, product);
    weave.weft_colour = scaled(weave.warp_colour, product.uniform(0.96, 1.0));
    weave.over = 1;
    weave.under = 1;
    weave.warp_pitch = product.uniform(4.2, 5.6);
    weave.weft_pitch = weave.warp_pitch * product.uniform(0.9, 1.1);
    weave.warp_cover = product.uniform(0.82, 0.92);
    weave.weft_cover = product.uniform(0.82, 0.92);
    weave.position_jitter = product.uniform(0.02, 0.05);
    weave.wobble = product.uniform(0.03, 0.06);
    weave.thickness_variation = product.uniform(0.06, 0.12);
    weave.optical_depth = product.uniform(1.0, 1.6);
    weave.print_motif = int(product.integer(1, 4));
    weave.ink_primary = pick(inks, product);
    weave.ink_secondary = pick(inks, product);
    weave.print_spacing = product.uniform(26.0, 46.0);
  }
  weave.pore_colour = scaled(weave.warp_colour, 0.18);
  weave.colour_variation = product.uniform(0.015, 0.04);
  weave.twist_period = product.uniform(0.35, 0.55) * weave.warp_pitch;
  weave.hairiness = product.uniform(0.04, 0.1);
}

void sample_wood(WoodParameters& wood, RandomStream& product) {
  // Oak, pine, walnut, cherry, ash: earlywood, latewood, vessel visibility.
  static const Rgb early[] = {{0.80, 0.62, 0.42}, {0.90, 0.76, 0.55}, {0.47, 0.32, 0.21}, {0.76, 0.48, 0.33}, {0.86, 0.77, 0.62}};
  static const Rgb late[] = {{0.56, 0.37, 0.21}, {0.72, 0.48, 0.26}, {0.29, 0.18, 0.11}, {0.57, 0.31, 0.19}, {0.63, 0.50, 0.36}};
  static const double pores[] = {0.35, 0.0, 0.15, 0.05, 0.3};
  const int64_t species = product.integer(int64_t(std::size(early)));
  wood.earlywood = early[species];
  wood.latewood = late[species];
  wood.pore_strength = pores[species];
  wood.ring_width = product.uniform(7.0, 13.0);
  wood.figure = product.uniform(1.5, 4.0);
  wood.optical_depth = product.uniform(1.0, 1.5);
}

void sample_marble(MarbleParameters& marble, RandomStream& product) {
  // Carrara, Nero Marquina, Verde, travertine, Rosa.
  static const Rgb bases[] = {{0.88, 0.88, 0.87}, {0.13, 0.13, 0.14}, {0.24, 0.40, 0.32}, {0.86, 0.79, 0.65}, {0.86, 0.73, 0.70}};
  static const Rgb veins[] = {{0.42, 0.44, 0.47}, {0.86, 0.86, 0.85}, {0.80, 0.87, 0.82}, {0.62, 0.50, 0.35}, {0.60, 0.40, 0.40}};
  static const Rgb clouds[] = {{0.78, 0.79, 0.80}, {0.22, 0.22, 0.24}, {0.18, 0.32, 0.25}, {0.80, 0.70, 0.55}, {0.80, 0.62, 0.60}};
  const int64_t stone = product.integer(int64_t(std::size(bases)));
  marble.base = bases[stone];
  marble.vein = veins[stone];
  marble.cloud = clouds[stone];
  marble.vein_frequency = product.uniform(0.006, 0.012);
  marble.turbulence = product.uniform(0.7, 1.3);
  marble.vein_sharpness = product.uniform(25.0, 60.0);
  marble.tile_size = product.uniform(220.0, 360.0);
  marble.grout_width = product.uniform(3.0, 6.0);
  marble.grout = {0.55, 0.54, 0.52};
  marble.gloss = product.uniform(0.05, 0.12);
  marble.translucency = product.uniform(0.5, 0.8);
}

}  // namespace

const std::vector<SurfaceType>& all_surface_types() {
  static const std::vector<SurfaceType> types = {SurfaceType::plain_weave, SurfaceType::twill, SurfaceType::printed,
                                                 SurfaceType::wood, SurfaceType::marble};
  return types;
}

const char* surface_name(SurfaceType type) {
  switch (type) {
    case SurfaceType::plain_weave: return "plain_weave";
    case SurfaceType::twill: return "twill";
    case SurfaceType::printed: return "printed";
    case SurfaceType::wood: return "wood";
    case SurfaceType::marble: return "marble";
  }
  return "?";
}

SurfaceType surface_from_name(const std::string& name) {
  for (SurfaceType type : all_surface_types())
    if (name == surface_name(type)) return type;
  throw Error(concat("datagen: unknown surface '", name, "' (known: plain_weave, twill, printed, wood, marble)"));
}

bool is_woven(SurfaceType type) {
  return type == SurfaceType::plain_weave || type == SurfaceType::twill || type == SurfaceType::printed;
}

SurfaceParameters sample_surface(SurfaceType type, int size, const NoiseTable& noise, RandomStream product,
                                 RandomStream& image) {
  SurfaceParameters parameters;
  parameters.type = type;
  parameters.size = size;
  parameters.noise = &noise;
  parameters.structure = image.fork(0x73747275ull);  // "stru"
  // The product: material, colours, scale, and how the camera sees it.
  double base_angle = 0.0, angle_spread = 0.0;
  if (is_woven(type)) {
    sample_weave(type, parameters.weave, product);
    base_angle = product.normal(0.0, 0.02);
    angle_spread = 0.03;
    parameters.distortion = product.uniform(0.8, 2.0);
  } else if (type == SurfaceType::wood) {
    sample_wood(parameters.wood, product);
    base_angle = product.chance(0.5) ? 0.0 : 0.5 * kPi;
    angle_spread = 0.06;
  } else {
    sample_marble(parameters.marble, product);
    base_angle = product.uniform(0.0, kPi);
    angle_spread = 0.5;
  }
  const double light_angle = product.uniform(-2.6, -2.0);  // lamp up and to the left
  // This image: position in the noise (and so in the material), rotation, scale, lamp, colour.
  parameters.noise_x = image.uniform(0.0, double(NoiseTable::kPeriod));
  parameters.noise_y = image.uniform(0.0, double(NoiseTable::kPeriod));
  parameters.angle = base_angle + image.normal(0.0, angle_spread);
  parameters.scale = std::exp(image.normal(0.0, 0.05));
  const double light_tilt = image.uniform(0.45, 0.6);
  const double lamp = light_angle + image.normal(0.0, 0.1);
  parameters.light_x = light_tilt * std::cos(lamp);
  parameters.light_y = light_tilt * std::sin(lamp);
  const double gain = std::exp(image.normal(0.0, 0.04));
  const Rgb balance{std::exp(image.normal(0.0, 0.015)), 1.0, std::exp(image.normal(0.0, 0.015))};
  WeaveParameters& weave = parameters.weave;
  weave.warp_colour = drifted(weave.warp_colour, gain, balance);
  weave.weft_colour = drifted(weave.weft_colour, gain, balance);
  weave.pore_colour = drifted(weave.pore_colour, gain, balance);
  weave.print_phase_u = image.uniform(0.0, weave.print_spacing);
  weave.print_phase_v = image.uniform(0.0, weave.print_spacing);
  WoodParameters& wood = parameters.wood;
  wood.earlywood = drifted(wood.earlywood, gain, balance);
  wood.latewood = drifted(wood.latewood, gain, balance);
  wood.pith_offset = image.uniform(-1.5, 1.5) * size;
  wood.pith_depth = image.uniform(3.0, 14.0) * wood.ring_width;
  wood.depth_slope = image.normal(0.0, 0.12);
  wood.axis_slope = image.normal(0.0, 0.04);
  MarbleParameters& marble = parameters.marble;
  marble.base = drifted(marble.base, gain, balance);
  marble.vein = drifted(marble.vein, gain, balance);
  marble.cloud = drifted(marble.cloud, gain, balance);
  marble.tile_offset_x = image.uniform(0.0, marble.tile_size);
  marble.tile_offset_y = image.uniform(0.0, marble.tile_size);
  marble.gloss_x = image.uniform(0.2, 0.8);
  marble.gloss_y = image.uniform(0.2, 0.8);
  return parameters;
}

SurfaceLayers render_surface(const SurfaceParameters& parameters, const DefectPlan* defect) {
  DFORGE_CHECK(parameters.noise != nullptr, "render_surface: the parameters have no noise table");
  DFORGE_CHECK(parameters.size >= 8, "render_surface: size ", parameters.size, " is below 8 pixels");
  if (is_woven(parameters.type)) return render_weave(parameters, defect);
  if (parameters.type == SurfaceType::wood) return render_wood(parameters, defect);
  return render_marble(parameters, defect);
}

double texture_direction(const SurfaceParameters& parameters, double x, double y) {
  if (parameters.type == SurfaceType::wood) return wood_grain_direction(parameters, x, y);
  if (parameters.type == SurfaceType::marble) return marble_vein_direction(parameters, x, y);
  return parameters.angle + 0.5 * kPi;  // warp threads run along v: the image's y turned by angle
}

void binomial_blur(std::vector<float>& plane, int size, int passes, size_t offset) {
  std::vector<float> scratch(size_t(size) * size_t(size));
  float* data = plane.data() + offset;
  for (int pass = 0; pass < passes; ++pass) {
    // Rows, then columns; edges repeat the border pixel.
    for (int row = 0; row < size; ++row) {
      const float* in = data + size_t(row) * size_t(size);
      float* out = scratch.data() + size_t(row) * size_t(size);
      for (int column = 0; column < size; ++column) {
        const float left = in[std::max(column - 1, 0)], right = in[std::min(column + 1, size - 1)];
        out[column] = 0.25f * left + 0.5f * in[column] + 0.25f * right;
      }
    }
    for (int row = 0; row < size; ++row) {
      const float* up = scratch.data() + size_t(std::max(row - 1, 0)) * size_t(size);
      const float* middle = scratch.data() + size_t(row) * size_t(size);
      const float* down = scratch.data() + size_t(std::min(row + 1, size - 1)) * size_t(size);
      float* out = data + size_t(row) * size_t(size);
      for (int column = 0; column < size; ++column) out[column] = 0.25f * up[column] + 0.5f * middle[column] + 0.25f * down[column];
    }
  }
}

}  // namespace dforge::data
