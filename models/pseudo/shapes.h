// The shapes of paper 004's pseudo-defects (Sec. 2.1.2): regular ones -- rectangles, lines,
// triangles, convex polygons -- and irregular ones, smooth closed blobs made of cubic Bezier
// curves through random points. Each kind is one function that draws an outline in a unit frame:
// a closed polygon whose farthest point lies exactly at distance 1 from the origin, so a shape
// placed with radius r covers a disc of diameter 2r at most. place() rotates, scales and moves it;
// rasterise.h turns it into pixels.
#pragma once

#include <string>
#include <vector>

#include "data/random_stream.h"

namespace dforge::models::pseudo {

enum class ShapeKind { rectangle, line, triangle, convex_polygon, blob };

const std::vector<ShapeKind>& all_shape_kinds();
std::string shape_kind_name(ShapeKind kind);   // "rectangle", "line", "triangle", "polygon", "blob"
ShapeKind shape_kind_from_name(const std::string& name);  // throws naming the value and the choices

struct Point {
  double x = 0, y = 0;
};
using Outline = std::vector<Point>;  // a closed polygon, the last point joined to the first

// A rectangle of random aspect ratio (short side at least 0.25 of the long one).
Outline rectangle_outline(data::RandomStream& stream);
// A thin rectangle: a straight scratch. `pixel` is one pixel in unit-frame lengths; the line is
// at least 1.5 pixels thick so it always covers pixel centres.
Outline line_outline(double pixel, data::RandomStream& stream);
// Three points on the unit circle, at least 60 degrees apart.
Outline triangle_outline(data::RandomStream& stream);
// 5 to 8 points on the unit circle in angular order: convex by construction.
Outline convex_polygon_outline(data::RandomStream& stream);
// 4 to 7 points at random radii in angular order, joined by cubic Bezier segments whose control
// points follow the Catmull-Rom tangents, so the closed curve is smooth (C1) and passes through
// every point; sampled at 16 points per segment.
Outline bezier_blob_outline(data::RandomStream& stream);

Outline shape_outline(ShapeKind kind, double pixel, data::RandomStream& stream);

// Where a unit outline goes on the image: rotated counter-clockwise by `angle` radians, scaled by
// `radius` pixels, centred on (centre_x, centre_y) in pixel coordinates (x right, y down).
struct Placement {
  double centre_x = 0, centre_y = 0, radius = 1, angle = 0;
};
Outline place(const Outline& unit, const Placement& placement);

}  // namespace dforge::models::pseudo
