#include "models/pseudo/shapes.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "runtime/error.h"

namespace dforge::models::pseudo {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Scales an outline about the origin so its farthest point is at distance 1.
Outline fit_unit_disc(Outline outline) {
  double farthest = 0;
  for (const Point& p : outline) farthest = std::max(farthest, std::hypot(p.x, p.y));
  for (Point& p : outline) p = {p.x / farthest, p.y / farthest};
  return outline;
}

// `count` sorted angles in [0, 2 pi), neighbours at least `min_gap` apart (radians).
std::vector<double> sorted_angles(int count, double min_gap, data::RandomStream& stream) {
  // Spread evenly, then jitter each angle within its share minus the gap: stays sorted.
  const double share = kTwoPi / count;
  const double start = stream.uniform(0.0, kTwoPi);
  std::vector<double> angles(count);
  for (int i = 0; i < count; ++i) angles[i] = start + i * share + stream.uniform(0.0, share - min_gap);
  return angles;
}

Outline points_at(const std::vector<double>& angles, const std::vector<double>& radii) {
  Outline points;
  for (size_t i = 0; i < angles.size(); ++i)
    points.push_back({radii[i] * std::cos(angles[i]), radii[i] * std::sin(angles[i])});
  return points;
}

// Corners of the rectangle [-half_width, half_width] x [-half_height, half_height].
Outline box(double half_width, double half_height) {
  return {{-half_width, -half_height}, {half_width, -half_height}, {half_width, half_height}, {-half_width, half_height}};
}

Point lerp(const Point& a, const Point& b, double t) { return {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}; }

// The cubic Bezier curve p0, c0, c1, p1 at t (de Casteljau).
Point bezier(const Point& p0, const Point& c0, const Point& c1, const Point& p1, double t) {
  const Point a = lerp(p0, c0, t), b = lerp(c0, c1, t), c = lerp(c1, p1, t);
  return lerp(lerp(a, b, t), lerp(b, c, t), t);
}

}  // namespace

const std::vector<ShapeKind>& all_shape_kinds() {
  static const std::vector<ShapeKind> kinds = {ShapeKind::rectangle, ShapeKind::line, ShapeKind::triangle,
                                               ShapeKind::convex_polygon, ShapeKind::blob};
  return kinds;
}

std::string shape_kind_name(ShapeKind kind) {
  switch (kind) {
    case ShapeKind::rectangle: return "rectangle";
    case ShapeKind::line: return "line";
    case ShapeKind::triangle: return "triangle";
    case ShapeKind::convex_polygon: return "polygon";
    case ShapeKind::blob: return "blob";
  }
  return "?";
}

ShapeKind shape_kind_from_name(const std::string& name) {
  for (ShapeKind kind : all_shape_kinds())
    if (shape_kind_name(kind) == name) return kind;
  throw Error(concat("pseudo: unknown shape '", name, "' (rectangle, line, triangle, polygon, blob)"));
}

Outline rectangle_outline(data::RandomStream& stream) {
  return fit_unit_disc(box(1.0, stream.uniform(0.25, 1.0)));
}

Outline line_outline(double pixel, data::RandomStream& stream) {
  const double half_thickness = std::max(stream.uniform(0.02, 0.08), 0.75 * pixel);
  return fit_unit_disc(box(1.0, std::min(half_thickness, 0.5)));
}

Outline triangle_outline(data::RandomStream& stream) {
  const std::vector<double> angles = sorted_angles(3, kTwoPi / 6, stream);
  return points_at(angles, {1.0, 1.0, 1.0});
}

Outline convex_polygon_outline(data::RandomStream& stream) {
  const int count = int(stream.integer(5, 8));
  return points_at(sorted_angles(count, kTwoPi / (3 * count), stream), std::vector<double>(count, 1.0));
}

Outline bezier_blob_outline(data::RandomStream& stream) {
  const int count = int(stream.integer(4, 7));
  const std::vector<double> angles = sorted_angles(count, kTwoPi / (3 * count), stream);
  std::vector<double> radii(count);
  for (double& radius : radii) radius = stream.uniform(0.45, 1.0);
  const Outline points = points_at(angles, radii);
  constexpr int kSamplesPerSegment = 16;
  Outline curve;
  for (int i = 0; i < count; ++i) {
    const Point& before = points[(i + count - 1) % count];
    const Point& from = points[i];
    const Point& to = points[(i + 1) % count];
    const Point& after = points[(i + 2) % count];
    // Catmull-Rom tangents (to - before) / 2 and (after - from) / 2, as Bezier control points.
    const Point c0{from.x + (to.x - before.x) / 6, from.y + (to.y - before.y) / 6};
    const Point c1{to.x - (after.x - from.x) / 6, to.y - (after.y - from.y) / 6};
    for (int s = 0; s < kSamplesPerSegment; ++s) curve.push_back(bezier(from, c0, c1, to, double(s) / kSamplesPerSegment));
  }
  return fit_unit_disc(curve);
}

Outline shape_outline(ShapeKind kind, double pixel, data::RandomStream& stream) {
  switch (kind) {
    case ShapeKind::rectangle: return rectangle_outline(stream);
    case ShapeKind::line: return line_outline(pixel, stream);
    case ShapeKind::triangle: return triangle_outline(stream);
    case ShapeKind::convex_polygon: return convex_polygon_outline(stream);
    case ShapeKind::blob: return bezier_blob_outline(stream);
  }
  throw Error("pseudo: invalid shape kind");
}

Outline place(const Outline& unit, const Placement& placement) {
  const double c = std::cos(placement.angle), s = std::sin(placement.angle);
  Outline placed;
  placed.reserve(unit.size());
  // Counter-clockwise as seen on screen: y points down, so the rotation's sine changes sign.
  for (const Point& p : unit)
    placed.push_back({placement.centre_x + placement.radius * (c * p.x + s * p.y),
                      placement.centre_y + placement.radius * (-s * p.x + c * p.y)});
  return placed;
}

}  // namespace dforge::models::pseudo
