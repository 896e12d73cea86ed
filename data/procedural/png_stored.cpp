// Stored-block PNG writing. References: PNG specification (ISO/IEC 15948) for the chunks and
// CRC-32; RFC 1950 (zlib stream, Adler-32); RFC 1951 section 3.2.4 (stored blocks).
#include "data/procedural/png_stored.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/io/atomic_file.h"

namespace dforge::data {

namespace {

// CRC-32, reflected polynomial 0xEDB88320 (PNG spec, annex D).
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

uint32_t crc32(const uint8_t* bytes, size_t count) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < count; ++i) c = kCrcTable[(c ^ bytes[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

// Adler-32: a = 1 + sum of bytes, b = sum of the running a, mod 65521; reduced every 5552 bytes,
// the longest run for which b cannot overflow 32 bits (RFC 1950, zlib's NMAX).
uint32_t adler32(const uint8_t* bytes, size_t count) {
  constexpr uint32_t kModulus = 65521;
  constexpr size_t kRun = 5552;
  uint32_t a = 1, b = 0;
  while (count > 0) {
    const size_t run = std::min(count, kRun);
    for (size_t i = 0; i < run; ++i) {
      a += bytes[i];
      b += a;
    }
    a %= kModulus;
    b %= kModulus;
    bytes += run;
    count -= run;
  }
  return (b << 16) | a;
}

void append_big_endian32(std::vector<uint8_t>& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(value >> shift));
}

void append_chunk(std::vector<uint8_t>& out, std::string_view type, const std::vector<uint8_t>& data) {
  append_big_endian32(out, uint32_t(data.size()));
  const size_t type_start = out.size();
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  append_big_endian32(out, crc32(out.data() + type_start, out.size() - type_start));
}

}  // namespace

void write_png_stored(const std::string& path, const Tensor& image) {
  DFORGE_CHECK(image.defined() && image.dtype() == DType::f32 && image.ndim() == 3 &&
                   (image.size(0) == 1 || image.size(0) == 3),
               "write_png_stored: ", path, ": image ", image.describe(), " must be f32 [C, H, W] with C = 1 or 3");
  const int channels = int(image.size(0)), height = int(image.size(1)), width = int(image.size(2));
  const size_t pixels = size_t(height) * size_t(width);
  const float* in = image.data<float>();
  // Scanlines: filter type 0 (None), then the row's interleaved samples.
  const size_t row_bytes = 1 + size_t(width) * size_t(channels);
  std::vector<uint8_t> raw(size_t(height) * row_bytes);
  for (int row = 0; row < height; ++row) {
    uint8_t* out = raw.data() + size_t(row) * row_bytes;
    *out++ = 0;
    for (int column = 0; column < width; ++column)
      for (int channel = 0; channel < channels; ++channel) {
        const float value = in[size_t(channel) * pixels + size_t(row) * size_t(width) + size_t(column)];
        const float clamped = std::isnan(value) ? 0.0f : std::clamp(value, 0.0f, 1.0f);
        *out++ = uint8_t(std::lround(clamped * 255.0f));
      }
  }
  // zlib: header 0x78 0x01, stored blocks of at most 65535 bytes (BFINAL on the last), Adler-32.
  constexpr size_t kBlock = 65535;
  std::vector<uint8_t> stream = {0x78, 0x01};
  stream.reserve(raw.size() + raw.size() / kBlock * 5 + 16);
  size_t offset = 0;
  do {
    const size_t length = std::min(kBlock, raw.size() - offset);
    stream.push_back(offset + length == raw.size() ? 1 : 0);
    stream.push_back(uint8_t(length & 0xFF));
    stream.push_back(uint8_t(length >> 8));
    stream.push_back(uint8_t(~length & 0xFF));
    stream.push_back(uint8_t((~length >> 8) & 0xFF));
    stream.insert(stream.end(), raw.begin() + std::ptrdiff_t(offset), raw.begin() + std::ptrdiff_t(offset + length));
    offset += length;
  } while (offset < raw.size());
  append_big_endian32(stream, adler32(raw.data(), raw.size()));

  std::vector<uint8_t> header;
  append_big_endian32(header, uint32_t(width));
  append_big_endian32(header, uint32_t(height));
  header.insert(header.end(), {8, uint8_t(channels == 1 ? 0 : 2), 0, 0, 0});  // 8 bits, gray or RGB
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  append_chunk(png, "IHDR", header);
  append_chunk(png, "IDAT", stream);
  append_chunk(png, "IEND", {});
  io::write_file_atomically(path, std::span<const uint8_t>(png));
}

}  // namespace dforge::data
