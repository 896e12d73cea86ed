// Image reading and writing; the layout and the guarantees are in image.h. stb works on interleaved
// samples (row-major, channel fastest); our tensors are planar [C, H, W], so both directions
// transpose.
#include "runtime/io/image.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

#include "runtime/error.h"
#include "runtime/io/atomic_file.h"
#include "runtime/io/png_stored.h"

namespace dforge::io {

namespace {

enum class ImageFormat { png, jpeg, bmp };

constexpr int kJpegQuality = 95;

struct ImageLayout {
  int channels = 0;
  int height = 0;
  int width = 0;
  size_t pixels() const { return size_t(height) * size_t(width); }
};

// Planar [C, H, W] f32 from interleaved samples, each divided by `maximum` (255 or 65535).
template <typename Sample>
Tensor planar_from_interleaved(const Sample* samples, const ImageLayout& layout, float maximum) {
  Tensor image = Tensor::empty({layout.channels, layout.height, layout.width}, DType::f32);
  float* out = image.data<float>();
  const size_t pixels = layout.pixels();
  for (size_t channel = 0; channel < size_t(layout.channels); ++channel) {
    for (size_t pixel = 0; pixel < pixels; ++pixel) {
      out[channel * pixels + pixel] = float(samples[pixel * size_t(layout.channels) + channel]) / maximum;
    }
  }
  return image;
}

// Decodes with `load` (stbi_load or stbi_load_16) and converts; throws with stb's reason on failure.
template <typename Sample, typename Load>
Tensor decode(const std::string& path, Load load, float maximum) {
  ImageLayout layout;
  std::unique_ptr<Sample, void (*)(void*)> samples(
      load(path.c_str(), &layout.width, &layout.height, &layout.channels, 0), stbi_image_free);
  if (samples == nullptr) {
    const char* reason = stbi_failure_reason();
    throw Error(
        concat("read_image: ", path, ": cannot decode the image (", reason ? reason : "unknown reason", ")"));
  }
  return planar_from_interleaved(samples.get(), layout, maximum);
}

// True for binary PGM/PPM ("P5" / "P6"). stb_image 2.27 returns 16-bit PNM samples in host byte
// order instead of the format's big-endian, so we refuse those rather than return wrong values.
bool is_binary_pnm(const std::string& path) {
  char magic[2] = {0, 0};
  std::ifstream(path, std::ios::binary).read(magic, 2);
  return magic[0] == 'P' && (magic[1] == '5' || magic[1] == '6');
}

std::string lowercase_extension(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return extension;
}

ImageFormat format_from_extension(const std::string& path) {
  const std::string extension = lowercase_extension(path);
  if (extension == ".png") return ImageFormat::png;
  if (extension == ".jpg" || extension == ".jpeg") return ImageFormat::jpeg;
  if (extension == ".bmp") return ImageFormat::bmp;
  throw Error(concat("write_image: ", path, ": unsupported extension '", extension,
                     "' (use .png, .jpg, .jpeg or .bmp)"));
}

ImageLayout layout_of(const std::string& path, const Tensor& image) {
  DFORGE_CHECK(image.defined(), "write_image: ", path, ": the image is an undefined tensor");
  DFORGE_CHECK(is_floating(image.dtype()), "write_image: ", path, ": image ", image.describe(),
               " must be f32 or f64 with values in [0, 1]");
  DFORGE_CHECK(image.ndim() == 2 || image.ndim() == 3, "write_image: ", path, ": image ", image.describe(),
               " must be [C, H, W] or [H, W]");
  const int64_t channels = image.ndim() == 3 ? image.size(0) : 1;
  DFORGE_CHECK(channels >= 1 && channels <= 4, "write_image: ", path, ": image ", image.describe(), " has ",
               channels, " channels, expected 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA)");
  const int64_t height = image.size(-2), width = image.size(-1);
  DFORGE_CHECK(height >= 1 && width >= 1, "write_image: ", path, ": image ", image.describe(), " is empty");
  constexpr int64_t kLimit = 1 << 20;  // far beyond any image we make; keeps stb's int arithmetic safe
  DFORGE_CHECK(height <= kLimit && width <= kLimit, "write_image: ", path, ": image ", image.describe(),
               " is larger than ", kLimit, " pixels on a side");
  return {int(channels), int(height), int(width)};
}

// What the format can store: 16 bits only in PNG, no alpha in JPEG, no gray + alpha in BMP.
void check_format_supports(const std::string& path, ImageFormat format, const ImageLayout& layout,
                           BitDepth depth) {
  DFORGE_CHECK(depth == BitDepth::eight || format == ImageFormat::png, "write_image: ", path,
               ": 16-bit output needs .png");
  DFORGE_CHECK(format != ImageFormat::jpeg || layout.channels == 1 || layout.channels == 3,
               "write_image: ", path, ": JPEG has no alpha channel, the image has ", layout.channels,
               " channels (use .png)");
  DFORGE_CHECK(format != ImageFormat::bmp || layout.channels != 2, "write_image: ", path,
               ": BMP cannot store gray + alpha (2 channels; use .png)");
}

// Interleaved samples: clamp to [0, 1] (NaN -> 0), scale to [0, maximum], round to nearest.
template <typename Sample>
std::vector<Sample> quantize_interleaved(const Tensor& host, const ImageLayout& layout) {
  const double maximum = double(std::numeric_limits<Sample>::max());
  std::vector<Sample> samples(layout.pixels() * size_t(layout.channels));
  dispatch_floating(host.dtype(), "write_image", [&]<typename T>() {
    const T* in = host.data<T>();
    const size_t pixels = layout.pixels();
    for (size_t channel = 0; channel < size_t(layout.channels); ++channel) {
      for (size_t pixel = 0; pixel < pixels; ++pixel) {
        const double value = double(in[channel * pixels + pixel]);
        const double clamped = std::isnan(value) ? 0.0 : std::clamp(value, 0.0, 1.0);
        samples[pixel * size_t(layout.channels) + channel] = Sample(std::lround(clamped * maximum));
      }
    }
  });
  return samples;
}

void append_to_bytes(void* context, void* data, int size) {
  auto* bytes = static_cast<std::vector<uint8_t>*>(context);
  const auto* begin = static_cast<const uint8_t*>(data);
  bytes->insert(bytes->end(), begin, begin + size);
}

std::vector<uint8_t> encode_eight_bit(const std::string& path, ImageFormat format, const ImageLayout& layout,
                                      const std::vector<uint8_t>& samples) {
  std::vector<uint8_t> bytes;
  const int stride = layout.width * layout.channels;
  int ok = 0;
  switch (format) {
    case ImageFormat::png:
      ok = stbi_write_png_to_func(append_to_bytes, &bytes, layout.width, layout.height, layout.channels,
                                  samples.data(), stride);
      break;
    case ImageFormat::jpeg:
      ok = stbi_write_jpg_to_func(append_to_bytes, &bytes, layout.width, layout.height, layout.channels,
                                  samples.data(), kJpegQuality);
      break;
    case ImageFormat::bmp:
      ok = stbi_write_bmp_to_func(append_to_bytes, &bytes, layout.width, layout.height, layout.channels,
                                  samples.data());
      break;
  }
  DFORGE_CHECK(ok != 0, "write_image: ", path, ": stb_image_write could not encode the image");
  return bytes;
}

}  // namespace

Tensor read_image(const std::string& path) {
  std::error_code error;
  DFORGE_CHECK(std::filesystem::exists(path, error), "read_image: ", path, ": no such file");
  DFORGE_CHECK(!std::filesystem::is_directory(path, error), "read_image: ", path, ": is a directory");
  if (stbi_is_16_bit(path.c_str())) {
    DFORGE_CHECK(
        !is_binary_pnm(path), "read_image: ", path,
        ": 16-bit PGM/PPM is not supported (stb_image reads it in the wrong byte order); use 16-bit PNG");
    return decode<stbi_us>(path, stbi_load_16, 65535.0f);
  }
  return decode<stbi_uc>(path, stbi_load, 255.0f);
}

void write_image(const std::string& path, const Tensor& image, BitDepth depth, PngPacking packing) {
  const ImageLayout layout = layout_of(path, image);
  const ImageFormat format = format_from_extension(path);
  check_format_supports(path, format, layout, depth);
  const Tensor host = image.to(Device::cpu());
  std::vector<uint8_t> bytes;
  if (depth == BitDepth::sixteen) {
    bytes = encode_png_stored(quantize_interleaved<uint16_t>(host, layout), layout.width, layout.height,
                              layout.channels);
  } else if (format == ImageFormat::png && packing == PngPacking::stored) {
    bytes = encode_png_stored(quantize_interleaved<uint8_t>(host, layout), layout.width, layout.height,
                              layout.channels);
  } else {
    bytes = encode_eight_bit(path, format, layout, quantize_interleaved<uint8_t>(host, layout));
  }
  write_file_atomically(path, bytes);
}

}  // namespace dforge::io
