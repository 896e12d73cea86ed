// The pseudo-defect generator of paper 004 (Sec. 2.1, Fig. 2): paints a random number of random
// shapes (shapes.h) onto a normal image, each with a base colour attenuated from its centre
// (attenuation.h, eq. 1) plus noise, and returns the image with its exact mask.
//
// Exactness: the defects are composited as  out = image + A (P - image),  A the combined opacity
// (1 - prod_k (1 - alpha_k)) and P the combined colour. A > 0 exactly on the union of the shapes'
// footprints, and that union is the mask: outside it A = 0 and the output equals the input bit for
// bit; inside it every pixel has opacity >= min_opacity * edge_floor > 0. (Whether a masked pixel's
// value actually changes depends on the colour drawn: a white defect on a white pixel may not.)
//
// Determinism: everything is drawn from the RandomStream (defect k from its fork k), so a stream
// gives the same defects on any thread. Shapes, opacities and colours are made on the host; the
// compositing runs with runtime ops on the image's device (CPU or CUDA).
#pragma once

#include <vector>

#include "data/random_stream.h"
#include "models/pseudo/attenuation.h"
#include "models/pseudo/shapes.h"
#include "runtime/tensor.h"

namespace dforge::models::pseudo {

struct PseudoOptions {
  int min_count = 1, max_count = 3;          // defects per image, uniform in [min, max]
  double min_size = 0.08, max_size = 0.4;    // a shape's diameter, as a fraction of min(H, W)
  double min_angle = 0, max_angle = 360;     // rotation, degrees
  std::vector<ShapeKind> shapes = all_shape_kinds();
  std::vector<BaseColour> colours = {BaseColour::white, BaseColour::grey, BaseColour::black};
  double colour_jitter = 0.1;                // base level +- this
  double mu = 0.0, sigma = 0.6;              // eq. (1), in units of the shape's radius
  double edge_floor = 0.3;                   // opacity at the rim relative to the centre's (> 0)
  double min_opacity = 0.6, max_opacity = 1.0;
  double noise_std = 0.04;                   // Gaussian noise on the colour, per pixel and channel
  // Throws naming the option and its value when a range is empty or out of bounds.
  void validate() const;
};

// What was drawn, for tests and sample sheets.
struct DrawnShape {
  ShapeKind kind = ShapeKind::rectangle;
  Placement placement;     // radius in pixels, angle in radians
  BaseColour colour = BaseColour::white;
  double opacity = 0;
  int64_t pixels = 0;      // of its footprint
};

struct PseudoDefect {
  Tensor image;    // f32 [C, H, W] on the input's device
  Tensor mask;     // f32 [1, H, W], 1 where painted, on the input's device
  Tensor opacity;  // f32 [1, H, W], the combined A (0 outside the mask), on the input's device
  std::vector<DrawnShape> shapes;
};

// image: f32 [C, H, W] in [0, 1], any device. Throws naming the shape when it is not [C, H, W].
PseudoDefect paint_pseudo_defects(const Tensor& image, const PseudoOptions& options, data::RandomStream& stream);

}  // namespace dforge::models::pseudo
