// An 8-bit PNG writer for the procedural dataset. The generator's images carry sensor noise that
// deflate cannot compress (measured on a 256 x 256 RGB twill: 194 KB compressed of 196 KB raw), yet
// stb_image_write spends ~18 ms per image trying; stored (uncompressed) deflate blocks give a file
// of the same size in well under a millisecond, and every PNG reader decodes them (the loaders
// read them faster too: inflating a stored block is a copy). Writes are atomic
// (runtime/io/atomic_file.h). Values are clamped to [0, 1] and rounded to 255 levels, exactly as
// io::write_image does, so read_image returns the same values.
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace dforge::data {

// `image` is f32 [C, H, W] on the CPU with C = 1 (gray) or 3 (RGB).
void write_png_stored(const std::string& path, const Tensor& image);

}  // namespace dforge::data
