// The five procedural surfaces and their parameters. A surface is rendered from a physical model
// of the material, not from a picture: woven fabrics are warp and weft threads with positions,
// widths, crimp and twist (plain weave, twill, and a printed plain weave); wood is the growth rings
// of a log cut by a plane (flat-sawn board); marble is a turbulent vein field in a translucent slab,
// laid as tiles. Each render gives the frontlight colour, the backlight transmission (the light
// that passes through the material, Beer-Lambert T = exp(-optical depth)), the fraction of each
// pixel covered by material, and the defect mask. Everything about one surface set (its colours,
// thread count, weave) is the "product", drawn once per set; each image varies position, rotation,
// scale, colour and lighting around it, the way real inspection images of one product do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/procedural/defect_plan.h"
#include "data/procedural/noise.h"
#include "data/random_stream.h"

namespace dforge::data {

enum class SurfaceType : uint8_t { plain_weave, twill, printed, wood, marble };

const std::vector<SurfaceType>& all_surface_types();
const char* surface_name(SurfaceType type);
// Throws naming `name` and listing the known surfaces when it is not one of them.
SurfaceType surface_from_name(const std::string& name);
bool is_woven(SurfaceType type);

struct WeaveParameters {
  int over = 1, under = 1;    // warp passes over `over` weft threads, then under `under`
  int twill_direction = 1;    // +1 or -1: the diagonal of a twill (Z or S)
  double warp_pitch = 8.0, weft_pitch = 8.0;  // pixels between thread centres
  double warp_cover = 0.8, weft_cover = 0.8;  // thread width / pitch
  Rgb warp_colour, weft_colour, pore_colour;
  double position_jitter = 0.05;   // per-thread offset of its centre line, fraction of the pitch
  double wobble = 0.05;            // meander of a thread along its length, fraction of the pitch
  double thickness_variation = 0.1;  // irregularity of yarn thickness along its length
  double colour_variation = 0.03;  // per-thread tint (dye lot, fibre blend)
  double optical_depth = 1.5;      // backlight absorbance through one thread at full thickness
  double twist_period = 3.0;       // pixels between ply ridges of the twisted yarn
  double hairiness = 0.06;         // fine fibre noise on the yarn surface
  int print_motif = 0;             // 0 none, 1 dots, 2 stripes, 3 gingham, 4 rosettes
  Rgb ink_primary, ink_secondary;
  double print_spacing = 32.0, print_phase_u = 0.0, print_phase_v = 0.0;
};

struct WoodParameters {
  Rgb earlywood, latewood;
  double ring_width = 9.0;        // pixels per growth ring
  double pith_offset = 0.0;       // where the log's axis lies across the board, pixels
  double pith_depth = 60.0;       // distance of the cutting plane from the axis, pixels
  double depth_slope = 0.1;       // change of that distance along the board: cathedral arches
  double axis_slope = 0.0;        // tilt of the axis in the board's plane
  double figure = 3.0;            // growth irregularity, pixels of ring displacement
  double pore_strength = 0.2;     // ring-porous earlywood vessels (oak) seen as dark dashes
  double optical_depth = 2.0;
};

struct MarbleParameters {
  Rgb base, vein, cloud;
  double vein_frequency = 0.02;   // veins per pixel across their direction
  double turbulence = 2.5;        // phase distortion of the veins (fbm amplitude, in veins)
  double vein_sharpness = 12.0;
  double tile_size = 300.0, grout_width = 4.0, tile_offset_x = 0.0, tile_offset_y = 0.0;
  Rgb grout;
  double gloss_x = 0.5, gloss_y = 0.5, gloss = 0.1;
  double translucency = 0.6;
};

struct SurfaceParameters {
  SurfaceType type = SurfaceType::plain_weave;
  int size = 256;
  double angle = 0.0;       // main direction of the texture (warp, grain, veins), radians
  double scale = 1.0;       // magnification of this image relative to the product's scale
  double distortion = 1.0;  // low-frequency waviness of the material, pixels
  const NoiseTable* noise = nullptr;
  RandomStream structure{0, 0};  // this image's per-thread / per-feature randomness
  double noise_x = 0.0, noise_y = 0.0;  // this image's window into the noise table
  double light_x = -0.4, light_y = -0.5;  // frontlight direction (towards the light), z from unit length
  WeaveParameters weave;
  WoodParameters wood;
  MarbleParameters marble;

  NoiseField field(double cell, int purpose) const {
    return {noise, cell, noise_x + 37.0 * purpose, noise_y + 53.0 * purpose};
  }
};

// The rendered material before the camera: planar float layers of size x size.
struct SurfaceLayers {
  int size = 0;
  std::vector<float> front;      // 3 planes, RGB radiance under the frontlight, about [0, 1]
  std::vector<float> backlight;  // transmitted light, 1 = the bare backlight
  std::vector<float> material;   // fraction of the pixel covered by material (0 in pores and holes)
  std::vector<float> mask;       // 1 on the defect's pixels
  explicit SurfaceLayers(int size_)
      : size(size_),
        front(size_t(3) * size_t(size_) * size_t(size_)),
        backlight(size_t(size_) * size_t(size_)),
        material(size_t(size_) * size_t(size_), 1.0f),
        mask(size_t(size_) * size_t(size_), 0.0f) {}
};

// Draws the product of `type` from `product` (the same stream for every image of a set) and this
// image's variation from `image`.
SurfaceParameters sample_surface(SurfaceType type, int size, const NoiseTable& noise, RandomStream product,
                                 RandomStream& image);

// Renders the material with `defect` built into it when the defect is structural (missing or cut
// threads, a hole through a fabric, a knot); other defects are drawn afterwards (defects.h).
SurfaceLayers render_surface(const SurfaceParameters& parameters, const DefectPlan* defect);

// Fabric coordinates (u across the warp, v along it, both in pixels) of image point (x, y).
Point fabric_coordinates(const SurfaceParameters& parameters, double x, double y);
// Direction (radians, image frame) of the texture's lines through (x, y): the warp of a fabric,
// the grain of wood, the veins of marble. Cracks and stains follow it.
double texture_direction(const SurfaceParameters& parameters, double x, double y);

}  // namespace dforge::data
