#include "models/pseudo/rasterise.h"

#include <algorithm>
#include <cmath>

namespace dforge::models::pseudo {

int64_t Footprint::count() const { return std::count(inside.begin(), inside.end(), uint8_t(1)); }

Footprint rasterise(const Outline& outline, int height, int width) {
  Footprint footprint{height, width, std::vector<uint8_t>(size_t(height) * width, 0)};
  if (outline.size() < 3) return footprint;
  double top = outline[0].y, bottom = outline[0].y;
  for (const Point& p : outline) top = std::min(top, p.y), bottom = std::max(bottom, p.y);
  const int first_row = std::max(0, int(std::floor(top)));
  const int last_row = std::min(height - 1, int(std::ceil(bottom)));
  std::vector<double> crossings;
  for (int row = first_row; row <= last_row; ++row) {
    // Where the horizontal line through the pixel centres crosses the edges (half-open in y, so a
    // vertex on the line is counted once).
    const double y = row + 0.5;
    crossings.clear();
    for (size_t i = 0; i < outline.size(); ++i) {
      const Point& a = outline[i];
      const Point& b = outline[(i + 1) % outline.size()];
      if ((a.y <= y) == (b.y <= y)) continue;
      crossings.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
    }
    std::sort(crossings.begin(), crossings.end());
    for (size_t k = 0; k + 1 < crossings.size(); k += 2) {
      // Columns whose centre x + 0.5 lies in [crossings[k], crossings[k + 1]).
      const int from = std::max(0, int(std::ceil(crossings[k] - 0.5)));
      const int to = std::min(width - 1, int(std::ceil(crossings[k + 1] - 0.5)) - 1);
      for (int column = from; column <= to; ++column) footprint.inside[size_t(row) * width + column] = 1;
    }
  }
  return footprint;
}

}  // namespace dforge::models::pseudo
