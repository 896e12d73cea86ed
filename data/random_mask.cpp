#include "data/random_mask.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "runtime/error.h"

namespace dforge::data {
namespace {

constexpr double kPi = std::numbers::pi;

// Inside when the polar radius is below an ellipse's radius modulated by three low harmonics.
void draw_blob(float* mask, int height, int width, RandomStream& stream) {
  const double side = std::min(height, width);
  const double cy = stream.uniform(0.25, 0.75) * height, cx = stream.uniform(0.25, 0.75) * width;
  const double ry = stream.uniform(0.05, 0.18) * side, rx = stream.uniform(0.05, 0.18) * side;
  const double angle = stream.uniform(0, kPi);
  double amplitude[3], phase[3];
  for (int k = 0; k < 3; ++k) {
    amplitude[k] = stream.uniform(0.0, 0.15);
    phase[k] = stream.uniform(0, 2 * kPi);
  }
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double dy = y + 0.5 - cy, dx = x + 0.5 - cx;
      const double u = (dx * std::cos(angle) + dy * std::sin(angle)) / rx;
      const double v = (-dx * std::sin(angle) + dy * std::cos(angle)) / ry;
      const double theta = std::atan2(v, u);
      double radius = 1.0;
      for (int k = 0; k < 3; ++k) radius += amplitude[k] * std::sin((k + 2) * theta + phase[k]);
      if (u * u + v * v < radius * radius) mask[y * width + x] = 1.0f;
    }
  mask[int(cy) * width + int(cx)] = 1.0f;  // a tiny blob may miss every pixel centre; never empty
}

double distance_to_segment(double px, double py, double ax, double ay, double bx, double by) {
  const double vx = bx - ax, vy = by - ay, length2 = vx * vx + vy * vy;
  const double t = length2 > 0 ? std::clamp(((px - ax) * vx + (py - ay) * vy) / length2, 0.0, 1.0) : 0.0;
  return std::hypot(px - (ax + t * vx), py - (ay + t * vy));
}

// A polyline whose direction turns a little at each vertex, thickened to `half_width`.
void draw_scratch(float* mask, int height, int width, RandomStream& stream) {
  const double side = std::min(height, width);
  const int segments = int(stream.integer(3, 7));
  const double length = stream.uniform(0.2, 0.6) * side / segments;
  const double half_width = stream.uniform(0.75, 2.5);
  double direction = stream.uniform(0, 2 * kPi);
  std::vector<double> xs{stream.uniform(0.3, 0.7) * width}, ys{stream.uniform(0.3, 0.7) * height};
  for (int s = 0; s < segments; ++s) {
    direction += stream.uniform(-0.4, 0.4);
    xs.push_back(std::clamp(xs.back() + length * std::cos(direction), 1.0, width - 1.0));
    ys.push_back(std::clamp(ys.back() + length * std::sin(direction), 1.0, height - 1.0));
  }
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int s = 0; s < segments; ++s)
        if (distance_to_segment(x + 0.5, y + 0.5, xs[s], ys[s], xs[s + 1], ys[s + 1]) <= half_width) {
          mask[y * width + x] = 1.0f;
          break;
        }
  mask[int(ys[0]) * width + int(xs[0])] = 1.0f;
}

}  // namespace

Tensor random_defect_mask(int height, int width, RandomStream& stream) {
  DFORGE_CHECK(height >= 8 && width >= 8, "random_defect_mask: the image is too small (", height, " x ", width, ")");
  Tensor mask = Tensor::zeros({1, height, width});
  float* pixels = mask.data<float>();
  if (stream.uniform() < 0.5)
    draw_blob(pixels, height, width, stream);
  else
    draw_scratch(pixels, height, width, stream);
  return mask;
}

}  // namespace dforge::data
