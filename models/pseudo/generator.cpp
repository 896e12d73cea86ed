#include "models/pseudo/generator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "models/pseudo/rasterise.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"

namespace dforge::models::pseudo {
namespace {

constexpr int kShapeAttempts = 8;  // a shape that covers no pixel centre is drawn again

// One defect's layer on the host: its opacity per pixel and its colour per channel and pixel.
struct Layer {
  std::vector<float> alpha;   // [H, W]
  std::vector<float> colour;  // [C, H, W]
};

std::vector<double> colour_of(BaseColour base, const PseudoOptions& options, const Tensor& host_image,
                              data::RandomStream& stream) {
  const int64_t channels = host_image.size(0), pixels = host_image.size(1) * host_image.size(2);
  if (base != BaseColour::image) return std::vector<double>(channels, base_colour_level(base, options.colour_jitter, stream));
  // The image's own colour at a random pixel.
  const int64_t at = stream.integer(pixels);
  const float* values = host_image.data<float>();
  std::vector<double> colour(channels);
  for (int64_t c = 0; c < channels; ++c) colour[c] = values[c * pixels + at];
  return colour;
}

// Draws one defect and paints its layer; returns what was drawn (pixels = 0 if nothing was hit).
DrawnShape draw_defect(const PseudoOptions& options, const Tensor& host_image, data::RandomStream& stream,
                       Layer& layer) {
  const int64_t channels = host_image.size(0);
  const int height = int(host_image.size(1)), width = int(host_image.size(2));
  const double side = std::min(height, width);
  DrawnShape drawn;
  Footprint footprint;
  for (int attempt = 0; attempt < kShapeAttempts && footprint.count() == 0; ++attempt) {
    drawn.kind = options.shapes[stream.integer(int64_t(options.shapes.size()))];
    drawn.placement.radius = 0.5 * side * stream.uniform(options.min_size, options.max_size);
    drawn.placement.angle = stream.uniform(options.min_angle, options.max_angle) * std::numbers::pi / 180.0;
    drawn.placement.centre_x = stream.uniform(0.0, width);
    drawn.placement.centre_y = stream.uniform(0.0, height);
    const Outline unit = shape_outline(drawn.kind, 1.0 / drawn.placement.radius, stream);
    footprint = rasterise(place(unit, drawn.placement), height, width);
  }
  drawn.pixels = footprint.count();
  drawn.colour = options.colours[stream.integer(int64_t(options.colours.size()))];
  drawn.opacity = stream.uniform(options.min_opacity, options.max_opacity);
  const std::vector<double> colour = colour_of(drawn.colour, options, host_image, stream);

  layer.alpha.assign(size_t(height) * width, 0.0f);
  layer.colour.assign(size_t(channels) * height * width, 0.0f);
  const int64_t pixels = int64_t(height) * width;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int64_t at = int64_t(y) * width + x;
      if (!footprint.inside[at]) continue;
      const double r = std::hypot(x + 0.5 - drawn.placement.centre_x, y + 0.5 - drawn.placement.centre_y) /
                       drawn.placement.radius;
      const double g = gaussian_falloff(r, options.mu, options.sigma);
      layer.alpha[at] = float(drawn.opacity * (options.edge_floor + (1.0 - options.edge_floor) * g));
      for (int64_t c = 0; c < channels; ++c) {
        const double noise = options.noise_std > 0 ? stream.normal(0.0, options.noise_std) : 0.0;
        layer.colour[c * pixels + at] = float(std::clamp(colour[c] + noise, 0.0, 1.0));
      }
    }
  }
  return drawn;
}

}  // namespace

void PseudoOptions::validate() const {
  auto range = [](const char* name, double low, double high, double lowest, double highest) {
    DFORGE_CHECK(low >= lowest && high <= highest && low <= high, "pseudo: ", name, " range [", low, ", ", high,
                 "] must lie within [", lowest, ", ", highest, "] with min <= max");
  };
  range("count", min_count, max_count, 0, 1000);
  range("size", min_size, max_size, 1e-3, 1.0);
  range("opacity", min_opacity, max_opacity, 1e-3, 1.0);
  DFORGE_CHECK(min_angle <= max_angle, "pseudo: angle range [", min_angle, ", ", max_angle, "] is empty");
  DFORGE_CHECK(!shapes.empty(), "pseudo: no shape kinds to draw");
  DFORGE_CHECK(!colours.empty(), "pseudo: no base colours to draw");
  DFORGE_CHECK(sigma > 0, "pseudo: sigma must be positive, got ", sigma);
  DFORGE_CHECK(edge_floor > 0 && edge_floor <= 1, "pseudo: edge_floor must be in (0, 1], got ", edge_floor);
  DFORGE_CHECK(colour_jitter >= 0 && noise_std >= 0, "pseudo: colour_jitter and noise_std must be >= 0, got ",
               colour_jitter, " and ", noise_std);
}

PseudoDefect paint_pseudo_defects(const Tensor& image, const PseudoOptions& options, data::RandomStream& stream) {
  DFORGE_CHECK(image.ndim() == 3 && image.size(0) >= 1 && image.size(1) > 0 && image.size(2) > 0,
               "pseudo: image must be [C, H, W], got ", image.describe());
  options.validate();
  const Tensor host = image.to(DType::f32).to(Device::cpu());
  const int64_t channels = host.size(0), height = host.size(1), width = host.size(2), pixels = height * width;

  // Combined opacity A = 1 - prod(1 - alpha_k) and premultiplied colour, composited back to front
  // the way painting the layers one over another would.
  std::vector<double> opacity(pixels, 0.0), premultiplied(channels * pixels, 0.0);
  PseudoDefect result;
  const int64_t count = stream.integer(options.min_count, options.max_count);
  Layer layer;
  for (int64_t k = 0; k < count; ++k) {
    data::RandomStream defect_stream = stream.fork(uint64_t(k));
    DrawnShape drawn = draw_defect(options, host, defect_stream, layer);
    if (drawn.pixels == 0) continue;
    result.shapes.push_back(drawn);
    for (int64_t at = 0; at < pixels; ++at) {
      const double alpha = layer.alpha[at];
      if (alpha == 0) continue;
      opacity[at] = opacity[at] + alpha * (1.0 - opacity[at]);
      for (int64_t c = 0; c < channels; ++c) {
        double& value = premultiplied[c * pixels + at];
        value = value * (1.0 - alpha) + alpha * layer.colour[c * pixels + at];
      }
    }
  }

  // P = premultiplied / A where A > 0; the image's own value elsewhere (so P - image = 0 there).
  const float* source = host.data<float>();
  Tensor paint = Tensor::empty({channels, height, width});
  Tensor alpha = Tensor::empty({1, height, width});
  Tensor mask = Tensor::empty({1, height, width});
  float* paint_values = paint.data<float>();
  float* alpha_values = alpha.data<float>();
  float* mask_values = mask.data<float>();
  for (int64_t at = 0; at < pixels; ++at) {
    const bool painted = opacity[at] > 0;
    alpha_values[at] = float(opacity[at]);
    mask_values[at] = painted ? 1.0f : 0.0f;
    for (int64_t c = 0; c < channels; ++c)
      paint_values[c * pixels + at] = painted ? float(premultiplied[c * pixels + at] / opacity[at]) : source[c * pixels + at];
  }
  const Device device = image.device();
  const Tensor original = image.to(DType::f32);
  alpha = alpha.to(device);
  // out = image + A (P - image): exactly the image where A = 0.
  result.image = runtime::add(original, runtime::mul(alpha, runtime::sub(paint.to(device), original)));
  result.mask = mask.to(device);
  result.opacity = alpha;
  return result;
}

}  // namespace dforge::models::pseudo
