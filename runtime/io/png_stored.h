// A minimal PNG encoder that stores the image data uncompressed: zlib "stored" deflate blocks, one
// filter-0 byte per row, big-endian samples. Files are valid PNG that every reader (stb_image,
// libpng) decodes. Two uses: 16-bit PNGs, which stb_image_write cannot write, and 8-bit images
// that deflate cannot shrink (sensor noise: the procedural dataset), where stb spends ~18 ms per
// 256x256 image for a 1% saving and this takes well under a millisecond.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dforge::io {

// `samples` holds height x width x channels values, interleaved (row-major, channel fastest).
// channels: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. Returns the complete file's bytes.
std::vector<uint8_t> encode_png_stored(std::span<const uint16_t> samples, int width, int height, int channels);
std::vector<uint8_t> encode_png_stored(std::span<const uint8_t> samples, int width, int height, int channels);

}  // namespace dforge::io
