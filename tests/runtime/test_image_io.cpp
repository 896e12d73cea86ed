#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "runtime/error.h"
#include "runtime/io/image.h"
#include "runtime/io/png_stored.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using Catch::Matchers::Contains;
using testing::read_bytes;
using testing::TemporaryDirectory;
using testing::write_bytes;

namespace {

// f32 [C, H, W] whose values are levels k / maximum, k = (seed + 37 i) mod (maximum + 1).
Tensor quantized_image(const Shape& shape, int maximum, int seed) {
  std::vector<double> values(size_t(numel_of(shape)));
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = double(float((seed + 37 * i) % (maximum + 1)) / float(maximum));
  return Tensor::from_values(values, shape, DType::f32);
}

double max_abs_difference(const Tensor& a, const Tensor& b) {
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::abs(x[i] - y[i]));
  return worst;
}

std::string little_endian(uint32_t value, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out.push_back(char((value >> (8 * i)) & 0xFF));
  return out;
}

// A 1x1 gray 16-bit PNG holding 0x1234, written out by hand. Adler-32 of the filtered data
// {0x00, 0x12, 0x34}: a = 1 + 0x00 + 0x12 + 0x34 = 0x47, b = 0x01 + 0x13 + 0x47 = 0x5B. The three
// CRC-32s were computed with Python's zlib.crc32 over chunk type and data (IEND's is the well-known
// AE 42 60 82).
// clang-format off
const std::string kPng16OnePixel = std::string(
    "\x89PNG\r\n\x1a\n"
    "\x00\x00\x00\x0d" "IHDR" "\x00\x00\x00\x01" "\x00\x00\x00\x01" "\x10\x00\x00\x00\x00" "\x6a\xee\x47\x16"
    "\x00\x00\x00\x0e" "IDAT" "\x78\x01" "\x01\x03\x00\xfc\xff" "\x00\x12\x34" "\x00\x5b\x00\x47"
                                                                                            "\x4d\xa8\xc3\x85"
    "\x00\x00\x00\x00" "IEND" "\xae\x42\x60\x82",
    8 + 25 + 26 + 12);
// clang-format on

}  // namespace

TEST_CASE("read_image reads a hand-made 24-bit BMP as planar RGB, top row first", "[io][image]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("hand.bmp");
  // 2x2, 24 bits per pixel, stored bottom row first, each pixel B G R, rows padded to 8 bytes.
  //   top row:    red (255, 0, 0)       green (0, 255, 0)
  //   bottom row: blue (0, 0, 255)      (51, 102, 204) = (0.2, 0.4, 0.8) * 255
  // clang-format off
  const std::string pixels = std::string("\xff\x00\x00" "\xcc\x66\x33" "\x00\x00", 8) +  // bottom row
                             std::string("\x00\x00\xff" "\x00\xff\x00" "\x00\x00", 8);   // top row
  // clang-format on
  const std::string file_header =
      "BM" + little_endian(14 + 40 + 16, 4) + little_endian(0, 4) + little_endian(54, 4);
  const std::string info_header = little_endian(40, 4) + little_endian(2, 4) + little_endian(2, 4) +
                                  little_endian(1, 2) + little_endian(24, 2) + little_endian(0, 4) +
                                  little_endian(16, 4) + std::string(16, '\0');
  write_bytes(path, file_header + info_header + pixels);

  const Tensor image = io::read_image(path);
  CHECK(image.dtype() == DType::f32);
  REQUIRE(image.shape() == Shape{3, 2, 2});
  const std::vector<double> expected = {1, 0, 0, 51 / 255.f,    // R: top row, bottom row
                                        0, 1, 0, 102 / 255.f,   // G
                                        0, 0, 1, 204 / 255.f};  // B
  CHECK(image.to_vector() == expected);
}

TEST_CASE("read_image reads a hand-made 16-bit PNG and divides by 65535", "[io][image]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("hand16.png");
  write_bytes(path, kPng16OnePixel);
  const Tensor image = io::read_image(path);
  REQUIRE(image.shape() == Shape{1, 1, 1});
  CHECK(image.item() == double(0x1234 / 65535.f));
}

TEST_CASE("read_image refuses 16-bit PGM, which stb decodes in the wrong byte order", "[io][image]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("hand16.pgm");
  // Binary PGM, 3x1 gray, maximum 65535, big-endian samples.
  write_bytes(path, std::string("P5\n3 1\n65535\n\x01\x02\xff\xff\x00\x00", 19));
  CHECK_THROWS_WITH(
      io::read_image(path),
      "read_image: " + path +
          ": 16-bit PGM/PPM is not supported (stb_image reads it in the wrong byte order); use 16-bit PNG");
}

TEST_CASE("8-bit PNG round trips exactly for every channel count", "[io][image]") {
  TemporaryDirectory directory;
  for (int64_t channels = 1; channels <= 4; ++channels) {
    INFO(channels << " channels");
    const std::string path = directory.file("image" + std::to_string(channels) + ".png");
    const Tensor image = quantized_image({channels, 5, 7}, 255, int(channels));
    io::write_image(path, image);
    const Tensor loaded = io::read_image(path);
    CHECK(loaded.shape() == image.shape());
    CHECK(loaded.to_vector() == image.to_vector());
  }
}

TEST_CASE("a [H, W] tensor is written as a gray image", "[io][image]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("gray.png");
  const Tensor gray = quantized_image({4, 3}, 255, 9);
  io::write_image(path, gray);
  const Tensor loaded = io::read_image(path);
  CHECK(loaded.shape() == Shape{1, 4, 3});
  CHECK(loaded.to_vector() == gray.to_vector());
}

TEST_CASE("16-bit PNG round trips exactly for every channel count", "[io][image]") {
  TemporaryDirectory directory;
  for (int64_t channels = 1; channels <= 4; ++channels) {
    INFO(channels << " channels");
    const std::string path = directory.file("deep" + std::to_string(channels) + ".png");
    const Tensor image = quantized_image({channels, 6, 5}, 65535, 1000 * int(channels));
    io::write_image(path, image, io::BitDepth::sixteen);
    const Tensor loaded = io::read_image(path);
    CHECK(loaded.shape() == image.shape());
    CHECK(loaded.to_vector() == image.to_vector());
  }
}

TEST_CASE("a 16-bit PNG larger than one stored deflate block round trips", "[io][image]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("big16.png");
  // 3 x 100 x 120 samples of 2 bytes plus a filter byte per row: 72100 bytes > 65535, so two blocks.
  const Tensor image = quantized_image({3, 100, 120}, 65535, 5);
  io::write_image(path, image, io::BitDepth::sixteen);
  CHECK(io::read_image(path).to_vector() == image.to_vector());
}

TEST_CASE("encode_png_stored writes the documented bytes for a 1x1 gray image", "[io][image]") {
  const std::vector<uint16_t> sample = {0x1234};
  const std::vector<uint8_t> png = io::encode_png_stored(std::span<const uint16_t>(sample), 1, 1, 1);
  CHECK(std::string(png.begin(), png.end()) == kPng16OnePixel);
}

TEST_CASE("8-bit PNG stored uncompressed round trips exactly and is read by stb", "[io][image]") {
  TemporaryDirectory directory;
  for (int64_t channels : {1, 3, 4}) {
    INFO(channels << " channels");
    const std::string path = directory.file("stored" + std::to_string(channels) + ".png");
    const Tensor image = quantized_image({channels, 70, 400}, 255, 13);  // > 65535 bytes: two blocks
    io::write_image(path, image, io::BitDepth::eight, io::PngPacking::stored);
    CHECK(io::read_image(path).to_vector() == image.to_vector());
    // header (8) + IHDR (25) + IDAT framing (12) + zlib (2 + 5 per block + 4) + IEND (12) + raw rows
    const size_t raw = size_t(70) * (1 + 400 * size_t(channels));
    const size_t blocks = (raw + 65534) / 65535;
    CHECK(std::filesystem::file_size(path) == 8 + 25 + 12 + 2 + 5 * blocks + 4 + 12 + raw);
  }
}

TEST_CASE("BMP round trips exactly; gray comes back as three equal channels", "[io][image]") {
  TemporaryDirectory directory;
  for (int64_t channels : {3, 4}) {
    INFO(channels << " channels");
    const std::string path = directory.file("image" + std::to_string(channels) + ".bmp");
    const Tensor image = quantized_image({channels, 3, 5}, 255, 11);
    io::write_image(path, image);
    CHECK(io::read_image(path).to_vector() == image.to_vector());
  }
  const std::string path = directory.file("gray.bmp");
  const Tensor gray = quantized_image({1, 3, 5}, 255, 3);
  io::write_image(path, gray);
  const Tensor loaded = io::read_image(path);
  REQUIRE(loaded.shape() == Shape{3, 3, 5});
  const std::vector<double> values = loaded.to_vector(), expected = gray.to_vector();
  for (size_t channel = 0; channel < 3; ++channel) {
    CHECK(std::vector<double>(values.begin() + long(15 * channel),
                              values.begin() + long(15 * (channel + 1))) == expected);
  }
}

TEST_CASE("JPEG round trips within tolerance", "[io][image]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("smooth.JPEG");  // the extension is case-insensitive
  // A smooth 16x16 RGB gradient: JPEG at quality 95 keeps it within a few levels.
  std::vector<double> values;
  for (int channel = 0; channel < 3; ++channel) {
    for (int y = 0; y < 16; ++y) {
      for (int x = 0; x < 16; ++x) values.push_back((x * (channel + 1) + y * 4) / 255.0 + 0.2 * channel);
    }
  }
  const Tensor image = Tensor::from_values(values, {3, 16, 16});
  io::write_image(path, image);
  const Tensor loaded = io::read_image(path);
  REQUIRE(loaded.shape() == image.shape());
  const double worst = max_abs_difference(loaded, image);
  INFO("worst difference " << worst);
  CHECK(worst < 0.03);
}

TEST_CASE("write_image clamps to [0, 1], maps NaN to 0 and accepts f64", "[io][image]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("clamped.png");
  // 0.5 * 255 = 127.5 rounds to 128; 0.25 * 255 = 63.75 -> 64.
  io::write_image(path, Tensor::from_values({-0.5, 1.5, NAN, 0.5, 0.25, 1}, {1, 2, 3}, DType::f64));
  CHECK(io::read_image(path).to_vector() == std::vector<double>{0, 1, 0, 128 / 255.f, 64 / 255.f, 1});
}

TEST_CASE("read_image names the file when it is missing or not an image", "[io][image]") {
  TemporaryDirectory directory;
  const std::string missing = directory.file("missing.png");
  CHECK_THROWS_WITH(io::read_image(missing), "read_image: " + missing + ": no such file");

  const std::string corrupt = directory.file("corrupt.png");
  write_bytes(corrupt, "this is not an image at all");
  CHECK_THROWS_WITH(
      io::read_image(corrupt),
      "read_image: " + corrupt + ": cannot decode the image (Image not of any known type, or corrupt)");

  // A valid PNG signature followed by garbage: stb says why.
  const std::string truncated = directory.file("truncated.png");
  io::write_image(truncated, Tensor::full({3, 8, 8}, 0.5));
  write_bytes(truncated, read_bytes(truncated).substr(0, 40));
  CHECK_THROWS_WITH(io::read_image(truncated),
                    Catch::StartsWith("read_image: " + truncated + ": cannot decode the image ("));

  const std::string empty = directory.file("empty.jpg");
  write_bytes(empty, "");
  CHECK_THROWS_WITH(io::read_image(empty),
                    Catch::StartsWith("read_image: " + empty + ": cannot decode the image ("));

  CHECK_THROWS_WITH(io::read_image(directory.file("")), Contains(": is a directory"));
}

TEST_CASE("write_image rejects what it cannot write, naming the file", "[io][image]") {
  TemporaryDirectory directory;
  const Tensor rgb = Tensor::full({3, 2, 2}, 0.5);
  auto check_rejected = [&](const std::string& name, const Tensor& image, io::BitDepth depth,
                            const std::string& message) {
    const std::string path = directory.file(name);
    CHECK_THROWS_WITH(io::write_image(path, image, depth), "write_image: " + path + ": " + message);
  };
  using io::BitDepth;
  check_rejected("a.tif", rgb, BitDepth::eight,
                 "unsupported extension '.tif' (use .png, .jpg, .jpeg or .bmp)");
  check_rejected("noextension", rgb, BitDepth::eight,
                 "unsupported extension '' (use .png, .jpg, .jpeg or .bmp)");
  check_rejected("a.png", Tensor::full({4}, 0.5), BitDepth::eight,
                 "image f32[4] cpu must be [C, H, W] or [H, W]");
  check_rejected("a.png", Tensor::full({1, 3, 2, 2}, 0.5), BitDepth::eight,
                 "image f32[1, 3, 2, 2] cpu must be [C, H, W] or [H, W]");
  check_rejected(
      "a.png", Tensor::full({5, 2, 2}, 0.5), BitDepth::eight,
      "image f32[5, 2, 2] cpu has 5 channels, expected 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA)");
  check_rejected("a.png", Tensor::full({3, 0, 2}, 0.5), BitDepth::eight, "image f32[3, 0, 2] cpu is empty");
  check_rejected("a.png", Tensor::full({3, 2, 2}, 1, DType::u8), BitDepth::eight,
                 "image u8[3, 2, 2] cpu must be f32 or f64 with values in [0, 1]");
  check_rejected("a.png", Tensor(), BitDepth::eight, "the image is an undefined tensor");
  check_rejected("a.jpg", rgb, BitDepth::sixteen, "16-bit output needs .png");
  check_rejected("a.jpg", Tensor::full({4, 2, 2}, 0.5), BitDepth::eight,
                 "JPEG has no alpha channel, the image has 4 channels (use .png)");
  check_rejected("a.bmp", Tensor::full({2, 2, 2}, 0.5), BitDepth::eight,
                 "BMP cannot store gray + alpha (2 channels; use .png)");
  CHECK(directory.entries().empty());
}

TEST_CASE("a failed write_image leaves the previous image untouched", "[io][image]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("keep.png");
  io::write_image(path, Tensor::full({3, 2, 2}, 0.5));
  const std::string before = read_bytes(path);
  CHECK_THROWS_AS(io::write_image(path, Tensor::full({7, 2, 2}, 0.5)), Error);
  CHECK(read_bytes(path) == before);

  const std::string in_missing_folder = directory.file("no/such/folder/out.png");
  CHECK_THROWS_WITH(io::write_image(in_missing_folder, Tensor::full({3, 2, 2}, 0.5)),
                    Contains(in_missing_folder) && Contains("No such file or directory"));
  CHECK(directory.entries() == std::vector<std::string>{"keep.png"});
}
