// The contact sheet of contact_sheet.h: one row per surface, one column per defect kind (the
// first column the normal image), each cell the frontlight, backlight and mask stacked, under a
// label drawn with a 5 x 7 pixel font (the HD44780 character ROM's shapes).
#include "data/procedural/contact_sheet.h"

#include <algorithm>
#include <array>
#include <string>

#include "data/procedural/datagen.h"
#include "runtime/error.h"

namespace dforge::data {

namespace {

// Rows of a 5 x 7 glyph, bit 4 = leftmost pixel.
using Glyph = std::array<uint8_t, 7>;

Glyph glyph_for(char character) {
  switch (character) {
    case 'a': return {0x00, 0x00, 0x0E, 0x01, 0x0F, 0x11, 0x0F};
    case 'b': return {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1E};
    case 'c': return {0x00, 0x00, 0x0E, 0x10, 0x10, 0x11, 0x0E};
    case 'd': return {0x01, 0x01, 0x0D, 0x13, 0x11, 0x11, 0x0F};
    case 'e': return {0x00, 0x00, 0x0E, 0x11, 0x1F, 0x10, 0x0E};
    case 'f': return {0x06, 0x09, 0x08, 0x1C, 0x08, 0x08, 0x08};
    case 'g': return {0x00, 0x0F, 0x11, 0x11, 0x0F, 0x01, 0x0E};
    case 'h': return {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11};
    case 'i': return {0x04, 0x00, 0x0C, 0x04, 0x04, 0x04, 0x0E};
    case 'j': return {0x02, 0x00, 0x06, 0x02, 0x02, 0x12, 0x0C};
    case 'k': return {0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12};
    case 'l': return {0x0C, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E};
    case 'm': return {0x00, 0x00, 0x1A, 0x15, 0x15, 0x11, 0x11};
    case 'n': return {0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11};
    case 'o': return {0x00, 0x00, 0x0E, 0x11, 0x11, 0x11, 0x0E};
    case 'p': return {0x00, 0x00, 0x1E, 0x11, 0x1E, 0x10, 0x10};
    case 'q': return {0x00, 0x00, 0x0D, 0x13, 0x0F, 0x01, 0x01};
    case 'r': return {0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10};
    case 's': return {0x00, 0x00, 0x0E, 0x10, 0x0E, 0x01, 0x1E};
    case 't': return {0x08, 0x08, 0x1C, 0x08, 0x08, 0x09, 0x06};
    case 'u': return {0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0D};
    case 'v': return {0x00, 0x00, 0x11, 0x11, 0x11, 0x0A, 0x04};
    case 'w': return {0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0A};
    case 'x': return {0x00, 0x00, 0x11, 0x0A, 0x04, 0x0A, 0x11};
    case 'y': return {0x00, 0x00, 0x11, 0x11, 0x0F, 0x01, 0x0E};
    case 'z': return {0x00, 0x00, 0x1F, 0x02, 0x04, 0x08, 0x1F};
    case '_': return {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F};
    case '/': return {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00};
    default: return {0, 0, 0, 0, 0, 0, 0};
  }
}

struct Canvas {
  int width = 0, height = 0;
  Tensor image;  // f32 [3, height, width]
  float* at(int channel, int row, int column) {
    return image.data<float>() + (size_t(channel) * size_t(height) + size_t(row)) * size_t(width) + size_t(column);
  }
};

// Draws `text` with its top-left corner at (row, column), each font pixel `scale` screen pixels.
void draw_text(Canvas& canvas, const std::string& text, int row, int column, int scale, float value) {
  for (char character : text) {
    const Glyph glyph = glyph_for(character);
    for (int glyph_row = 0; glyph_row < 7; ++glyph_row)
      for (int glyph_column = 0; glyph_column < 5; ++glyph_column) {
        if (!((glyph[size_t(glyph_row)] >> (4 - glyph_column)) & 1)) continue;
        for (int dy = 0; dy < scale; ++dy)
          for (int dx = 0; dx < scale; ++dx) {
            const int y = row + glyph_row * scale + dy, x = column + glyph_column * scale + dx;
            if (y < 0 || y >= canvas.height || x < 0 || x >= canvas.width) continue;
            for (int channel = 0; channel < 3; ++channel) *canvas.at(channel, y, x) = value;
          }
      }
    column += 6 * scale;
  }
}

// Pastes `source` (f32 [C, S, S], C = 1 or 3) into the canvas at (row, column), shrunk by an
// integer factor with a box filter (the mean of each factor x factor block).
void paste(Canvas& canvas, const Tensor& source, int row, int column, int factor) {
  const int channels = int(source.size(0)), size = int(source.size(1));
  const int cell = size / factor;
  const float* in = source.data<float>();
  for (int channel = 0; channel < 3; ++channel) {
    const int from = channels == 1 ? 0 : channel;
    for (int y = 0; y < cell; ++y)
      for (int x = 0; x < cell; ++x) {
        float sum = 0.0f;
        for (int dy = 0; dy < factor; ++dy)
          for (int dx = 0; dx < factor; ++dx)
            sum += in[(size_t(from) * size_t(size) + size_t(y * factor + dy)) * size_t(size) + size_t(x * factor + dx)];
        *canvas.at(channel, row + y, column + x) = sum / float(factor * factor);
      }
  }
}

}  // namespace

Tensor render_contact_sheet(const ContactSheetOptions& options) {
  DFORGE_CHECK(options.cell >= 32 && options.render_factor >= 1, "contact sheet: cell ", options.cell,
               " must be at least 32 pixels and render_factor ", options.render_factor, " at least 1");
  const std::vector<SurfaceType>& surfaces = options.surfaces.empty() ? all_surface_types() : options.surfaces;
  size_t columns = 1;
  for (SurfaceType surface : surfaces) columns = std::max(columns, defect_kinds_for(surface).size() + 1);
  constexpr int kGap = 4, kLabel = 20, kTextScale = 2;
  const int cell = options.cell;
  const int cell_height = kLabel + 3 * cell + 2 * kGap;
  Canvas canvas;
  canvas.width = int(columns) * (cell + kGap) + kGap;
  canvas.height = int(surfaces.size()) * (cell_height + kGap) + kGap;
  canvas.image = Tensor::full({3, canvas.height, canvas.width}, 0.12);
  const NoiseTable noise(options.seed);
  const int render_size = cell * options.render_factor;
  for (size_t row = 0; row < surfaces.size(); ++row) {
    const SurfaceType surface = surfaces[row];
    const std::vector<DefectKind>& kinds = defect_kinds_for(surface);
    for (size_t column = 0; column <= kinds.size(); ++column) {
      const std::optional<DefectKind> defect = column == 0 ? std::nullopt : std::optional<DefectKind>(kinds[column - 1]);
      const uint64_t key = stream_id({uint64_t(surface), 3, defect ? uint64_t(*defect) + 1 : 0, 0});
      const CapturedImage image = generate_image(surface, defect, render_size, options.seed, key, noise);
      const int top = kGap + int(row) * (cell_height + kGap), left = kGap + int(column) * (cell + kGap);
      const std::string label = column == 0 ? std::string(surface_name(surface)) : std::string(defect_name(*defect));
      const int text_scale = int(label.size()) * 6 * kTextScale <= cell ? kTextScale : 1;
      draw_text(canvas, label, top + 3 + (kTextScale - text_scale) * 4, left + 2, text_scale, column == 0 ? 1.0f : 0.85f);
      paste(canvas, image.front, top + kLabel, left, options.render_factor);
      paste(canvas, image.backlight, top + kLabel + cell + kGap, left, options.render_factor);
      paste(canvas, image.mask, top + kLabel + 2 * (cell + kGap), left, options.render_factor);
    }
  }
  return canvas.image;
}

}  // namespace dforge::data
