// A minimal 16-bit PNG encoder (stb_image_write writes only 8-bit PNGs). The image data is stored
// uncompressed: zlib "stored" deflate blocks, one filter-0 byte per row, big-endian samples. Files
// are larger than compressed ones but valid PNG that every reader (stb_image, libpng) decodes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dforge::io {

// `samples` holds height x width x channels values, interleaved (row-major, channel fastest).
// channels: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. Returns the complete file's bytes.
std::vector<uint8_t> encode_png16(std::span<const uint16_t> samples, int width, int height, int channels);

}  // namespace dforge::io
