// The sample grid of image_grid.h: cells are first turned into displayable RGB pieces (a 4-channel
// cell becomes two pieces), then the pieces are pasted into a canvas whose column widths and row
// heights are the maxima of their pieces.
#include "apps/report/image_grid.h"

#include <algorithm>
#include <cmath>

#include "runtime/error.h"
#include "runtime/io/image.h"
#include "runtime/shape_ops.h"

namespace dforge::apps {
namespace {

constexpr float kBackground = 0.2f;

// A displayable RGB image on the host, values in [0, 1], or empty (height 0) for a blank cell.
struct Piece {
  int64_t height = 0, width = 0;
  std::vector<float> rgb;  // [3, height, width]
};

// Copies channels `first`..`first + count` (count 1: gray, replicated; count 3: RGB) of `values`
// ([C, H, W]) into a Piece, mapping [-1, 1] to [0, 1] when `signed_range`.
Piece make_piece(const std::vector<double>& values, int64_t height, int64_t width, int64_t first, int64_t count,
                 bool signed_range) {
  Piece piece{height, width, std::vector<float>(size_t(3 * height * width))};
  const int64_t plane = height * width;
  for (int64_t channel = 0; channel < 3; ++channel) {
    const int64_t source = first + (count == 1 ? 0 : channel);
    for (int64_t i = 0; i < plane; ++i) {
      const double value = values[size_t(source * plane + i)];
      const double unit = signed_range ? (value + 1) / 2 : value;
      piece.rgb[size_t(channel * plane + i)] = std::isfinite(unit) ? float(std::clamp(unit, 0.0, 1.0)) : 0.0f;
    }
  }
  return piece;
}

// The pieces one cell shows: none for an undefined tensor (one blank piece), one for 1 or 3
// channels, two for 2 (gray + gray) or 4 (RGB + backlight gray).
std::vector<Piece> pieces_of(const Tensor& cell, size_t row, size_t column, bool signed_range) {
  if (!cell.defined()) return {Piece{}};
  const Tensor image = cell.ndim() == 2 ? cell.reshape({1, cell.size(0), cell.size(1)}) : cell;
  DFORGE_CHECK(image.ndim() == 3 && image.size(0) >= 1 && image.size(0) <= 4 &&
                   (image.dtype() == DType::f32 || image.dtype() == DType::f64),
               "image grid: cell (row ", row, ", column ", column, ") must be an f32 or f64 [C, H, W] with C in 1..4 "
               "or [H, W], got ", cell.describe());
  const int64_t channels = image.size(0), height = image.size(1), width = image.size(2);
  const std::vector<double> values = image.to_vector();
  const int64_t leading = channels >= 3 ? 3 : 1;
  std::vector<Piece> pieces{make_piece(values, height, width, 0, leading, signed_range)};
  if (channels == 2 || channels == 4)
    pieces.push_back(make_piece(values, height, width, channels - 1, 1, signed_range));
  return pieces;
}

}  // namespace

Tensor batch_image(const Tensor& batch, int64_t i) {
  DFORGE_CHECK(batch.ndim() == 4 && i >= 0 && i < batch.size(0), "batch_image: no image ", i, " in ",
               batch.describe());
  Tensor one = runtime::slice(batch, 0, i, i + 1).to(Device::cpu());
  return one.reshape({one.size(1), one.size(2), one.size(3)});
}

Tensor compose_image_grid(const std::vector<std::vector<Tensor>>& rows, const GridOptions& options) {
  DFORGE_CHECK(options.gap >= 0, "image grid: gap must be >= 0, got ", options.gap);
  std::vector<std::vector<Piece>> grid;
  for (size_t r = 0; r < rows.size(); ++r) {
    grid.emplace_back();
    for (size_t c = 0; c < rows[r].size(); ++c)
      for (Piece& piece : pieces_of(rows[r][c], r, c, options.signed_range)) grid.back().push_back(std::move(piece));
  }
  std::vector<int64_t> column_widths, row_heights(grid.size(), 0);
  for (size_t r = 0; r < grid.size(); ++r)
    for (size_t c = 0; c < grid[r].size(); ++c) {
      if (column_widths.size() <= c) column_widths.push_back(0);
      column_widths[c] = std::max(column_widths[c], grid[r][c].width);
      row_heights[r] = std::max(row_heights[r], grid[r][c].height);
    }
  const int64_t gap = options.gap;
  int64_t width = gap, height = gap;
  for (const int64_t w : column_widths) width += w + gap;
  for (const int64_t h : row_heights) height += h + gap;
  DFORGE_CHECK(width > 0 && height > 0, "image grid: nothing to draw (no cells and gap 0)");

  Tensor canvas = Tensor::full({3, height, width}, kBackground);
  float* out = canvas.data<float>();
  int64_t top = gap;
  for (size_t r = 0; r < grid.size(); ++r) {
    int64_t left = gap;
    for (size_t c = 0; c < grid[r].size(); ++c) {
      const Piece& piece = grid[r][c];
      for (int64_t channel = 0; channel < 3; ++channel)
        for (int64_t y = 0; y < piece.height; ++y)
          std::copy_n(piece.rgb.begin() + (channel * piece.height + y) * piece.width, piece.width,
                      out + (channel * height + top + y) * width + left);
      left += column_widths[c] + gap;
    }
    top += row_heights[r] + gap;
  }
  return canvas;
}

void write_image_grid(const std::string& path, const std::vector<std::vector<Tensor>>& rows,
                      const GridOptions& options) {
  io::write_image(path, compose_image_grid(rows, options));
}

}  // namespace dforge::apps
