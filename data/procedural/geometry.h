// Shapes the defects are drawn with, in image pixel coordinates (x right, y down, pixel centres
// at +0.5). A Blob is an irregular closed outline -- an ellipse whose radius is modulated by a few
// low harmonics, r(theta) = 1 + sum_k a_k cos(k theta + phi_k), the usual Fourier model of a
// rounded random particle outline -- with an approximate signed distance (negative inside). A
// Polyline is a path with a width at each vertex; nearest() gives the distance to it, the arc
// length and the width there, so a cut or a crack can taper and open along its length.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace dforge::data {

struct Point {
  double x = 0.0, y = 0.0;
};

// An axis-aligned pixel rectangle [x0, x1) x [y0, y1), clipped to the image by clip().
struct PixelBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  PixelBox clip(int size) const {
    return {std::clamp(x0, 0, size), std::clamp(y0, 0, size), std::clamp(x1, 0, size), std::clamp(y1, 0, size)};
  }
};

struct Blob {
  static constexpr int kHarmonics = 6;  // k = 2 .. 7
  Point centre;
  double radius_x = 1.0, radius_y = 1.0, angle = 0.0;
  std::array<double, kHarmonics> amplitude{};
  std::array<double, kHarmonics> phase{};

  double relative_radius(double theta) const {
    double radius = 1.0;
    for (int k = 0; k < kHarmonics; ++k) radius += amplitude[size_t(k)] * std::cos((k + 2) * theta + phase[size_t(k)]);
    return radius;
  }
  // rho / r(theta) in the blob's own frame: 0 at the centre, 1 on the outline.
  double relative_distance(double x, double y) const {
    const double cosine = std::cos(angle), sine = std::sin(angle);
    const double dx = x - centre.x, dy = y - centre.y;
    const double along = (cosine * dx + sine * dy) / radius_x, across = (-sine * dx + cosine * dy) / radius_y;
    return std::sqrt(along * along + across * across) / relative_radius(std::atan2(across, along));
  }
  // Approximate signed distance in pixels (exact for a circle without harmonics).
  double signed_distance(double x, double y) const {
    const double cosine = std::cos(angle), sine = std::sin(angle);
    const double dx = x - centre.x, dy = y - centre.y;
    const double along = (cosine * dx + sine * dy) / radius_x, across = (-sine * dx + cosine * dy) / radius_y;
    const double rho = std::sqrt(along * along + across * across);
    const double theta = std::atan2(across, along);
    return (rho - relative_radius(theta)) * std::min(radius_x, radius_y);
  }
  PixelBox box(double margin) const {
    double spread = 1.0;
    for (double a : amplitude) spread += std::abs(a);
    const double reach = std::max(radius_x, radius_y) * spread + margin;
    return {int(std::floor(centre.x - reach)), int(std::floor(centre.y - reach)), int(std::ceil(centre.x + reach)) + 1,
            int(std::ceil(centre.y + reach)) + 1};
  }
};

struct Polyline {
  std::vector<Point> points;
  std::vector<double> widths;  // full width at each point, pixels

  struct Nearest {
    double distance = 1e30;  // to the centre line
    double along = 0.0;      // arc length from the first point
    double width = 0.0;      // interpolated full width there
    double side = 0.0;       // signed: > 0 left of the direction of travel
    double direction_x = 1.0, direction_y = 0.0;
  };

  Nearest nearest(double x, double y) const {
    Nearest best;
    double travelled = 0.0;
    for (size_t i = 0; i + 1 < points.size(); ++i) {
      const Point a = points[i], b = points[i + 1];
      const double ex = b.x - a.x, ey = b.y - a.y;
      const double length_squared = ex * ex + ey * ey;
      const double length = std::sqrt(length_squared);
      const double t =
          length_squared > 0 ? std::clamp(((x - a.x) * ex + (y - a.y) * ey) / length_squared, 0.0, 1.0) : 0.0;
      const double px = a.x + t * ex - x, py = a.y + t * ey - y;
      const double distance = std::sqrt(px * px + py * py);
      if (distance < best.distance) {
        best.distance = distance;
        best.along = travelled + t * length;
        best.width = widths[i] + t * (widths[i + 1] - widths[i]);
        best.side = length > 0 ? (ex * (y - a.y) - ey * (x - a.x)) / length : 0.0;
        if (length > 0) {
          best.direction_x = ex / length;
          best.direction_y = ey / length;
        }
      }
      travelled += length;
    }
    return best;
  }

  double length() const {
    double total = 0.0;
    for (size_t i = 0; i + 1 < points.size(); ++i) total += std::hypot(points[i + 1].x - points[i].x, points[i + 1].y - points[i].y);
    return total;
  }

  PixelBox box(double margin) const {
    double x0 = 1e30, y0 = 1e30, x1 = -1e30, y1 = -1e30, widest = 0.0;
    for (const Point& p : points) {
      x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
    }
    for (double w : widths) widest = std::max(widest, w);
    const double reach = 0.5 * widest + margin;
    return {int(std::floor(x0 - reach)), int(std::floor(y0 - reach)), int(std::ceil(x1 + reach)) + 1,
            int(std::ceil(y1 + reach)) + 1};
  }
};

inline double smoothstep(double edge0, double edge1, double x) {
  const double t = std::clamp((x - edge0) / (edge1 - edge0), 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

inline double mix(double a, double b, double t) { return a + (b - a) * t; }

// The direction (radians) along the iso-lines of the scalar field `phase(x, y)` -- grain lines,
// veins -- i.e. perpendicular to its gradient, from forward differences of `step` pixels.
// Returns `flat_direction` where the gradient's L1 norm is below `flat`.
template <typename Phase>
double iso_line_direction(const Phase& phase, double x, double y, double step, double flat, double flat_direction) {
  const double here = phase(x, y);
  const double gradient_x = phase(x + step, y) - here;
  const double gradient_y = phase(x, y + step) - here;
  if (std::abs(gradient_x) + std::abs(gradient_y) < flat) return flat_direction;
  return std::atan2(gradient_x, -gradient_y);
}

}  // namespace dforge::data
