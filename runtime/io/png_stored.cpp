// 16-bit PNG encoding with stored (uncompressed) deflate blocks. References: PNG specification
// (ISO/IEC 15948) for the chunks and CRC-32, RFC 1950 (zlib stream, Adler-32) and RFC 1951 section
// 3.2.4 (stored blocks).
#include "runtime/io/png_stored.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "runtime/error.h"

namespace dforge::io {

namespace {

// CRC-32 with the reflected polynomial 0xEDB88320 (PNG spec, annex D), table-driven.
constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

uint32_t crc32(std::span<const uint8_t> bytes) {
  uint32_t c = 0xFFFFFFFFu;
  for (uint8_t byte : bytes) c = kCrcTable[(c ^ byte) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

// Adler-32 (RFC 1950 section 8.2): a = 1 + sum of bytes, b = sum of the running a, both mod 65521.
uint32_t adler32(std::span<const uint8_t> bytes) {
  constexpr uint32_t kModulus = 65521;
  uint32_t a = 1, b = 0;
  for (uint8_t byte : bytes) {
    a = (a + byte) % kModulus;
    b = (b + a) % kModulus;
  }
  return (b << 16) | a;
}

void append_big_endian32(std::vector<uint8_t>& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(value >> shift));
}

// A chunk: length, 4-letter type, data, CRC-32 of type and data.
void append_chunk(std::vector<uint8_t>& out, std::string_view type, std::span<const uint8_t> data) {
  append_big_endian32(out, uint32_t(data.size()));
  const size_t type_start = out.size();
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  append_big_endian32(out, crc32(std::span<const uint8_t>(out).subspan(type_start)));
}

// The filtered image: each row is filter type 0 (None) then the row's samples, big-endian.
template <typename Sample>
std::vector<uint8_t> scanlines(std::span<const Sample> samples, int width, int height, int channels) {
  const size_t row_samples = size_t(width) * size_t(channels);
  std::vector<uint8_t> raw;
  raw.reserve(size_t(height) * (1 + sizeof(Sample) * row_samples));
  for (size_t row = 0; row < size_t(height); ++row) {
    raw.push_back(0);
    for (Sample sample : samples.subspan(row * row_samples, row_samples)) {
      if constexpr (sizeof(Sample) == 2) raw.push_back(uint8_t(sample >> 8));
      raw.push_back(uint8_t(sample & 0xFF));
    }
  }
  return raw;
}

// A zlib stream of stored blocks: header 0x78 0x01 (deflate, 32K window, no dictionary; 0x7801 is
// a multiple of 31), blocks of at most 65535 bytes each with BFINAL on the last, then Adler-32.
std::vector<uint8_t> zlib_stored(std::span<const uint8_t> raw) {
  constexpr size_t kBlock = 65535;
  std::vector<uint8_t> out = {0x78, 0x01};
  size_t offset = 0;
  do {
    const size_t length = std::min(kBlock, raw.size() - offset);
    const bool final_block = offset + length == raw.size();
    out.push_back(final_block ? 1 : 0);  // BFINAL bit, BTYPE = 00 (stored)
    out.push_back(uint8_t(length & 0xFF));
    out.push_back(uint8_t(length >> 8));
    out.push_back(uint8_t(~length & 0xFF));
    out.push_back(uint8_t((~length >> 8) & 0xFF));
    out.insert(out.end(), raw.begin() + std::ptrdiff_t(offset),
               raw.begin() + std::ptrdiff_t(offset + length));
    offset += length;
  } while (offset < raw.size());
  append_big_endian32(out, adler32(raw));
  return out;
}

uint8_t color_type_for(int channels) {
  constexpr std::array<uint8_t, 4> kColorTypes = {0, 4, 2, 6};  // gray, gray+alpha, RGB, RGBA
  return kColorTypes[size_t(channels - 1)];
}

template <typename Sample>
std::vector<uint8_t> encode(std::span<const Sample> samples, int width, int height, int channels) {
  DFORGE_CHECK(channels >= 1 && channels <= 4, "encode_png_stored: ", channels, " channels, expected 1 to 4");
  DFORGE_CHECK(width >= 1 && height >= 1, "encode_png_stored: image ", width, "x", height, " is empty");
  DFORGE_CHECK(samples.size() == size_t(width) * size_t(height) * size_t(channels),
               "encode_png_stored: ", samples.size(), " samples for a ", width, "x", height, "x", channels,
               " image");
  const std::vector<uint8_t> compressed = zlib_stored(scanlines(samples, width, height, channels));
  DFORGE_CHECK(compressed.size() < (1u << 31), "encode_png_stored: image ", width, "x", height, "x", channels,
               " is too large for one PNG chunk");

  std::vector<uint8_t> header;
  append_big_endian32(header, uint32_t(width));
  append_big_endian32(header, uint32_t(height));
  // bit depth, color type, compression 0 (deflate), filter method 0, interlace 0 (none)
  header.insert(header.end(), {uint8_t(8 * sizeof(Sample)), color_type_for(channels), 0, 0, 0});

  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  append_chunk(png, "IHDR", header);
  append_chunk(png, "IDAT", compressed);
  append_chunk(png, "IEND", {});
  return png;
}

}  // namespace

std::vector<uint8_t> encode_png_stored(std::span<const uint16_t> samples, int width, int height, int channels) {
  return encode(samples, width, height, channels);
}

std::vector<uint8_t> encode_png_stored(std::span<const uint8_t> samples, int width, int height, int channels) {
  return encode(samples, width, height, channels);
}

}  // namespace dforge::io
