// Camera model of camera.h: lamp falloff (a tilt plus the cos^4-like vignette approximated by a
// quadratic in the radius), one pass of the binomial blur for the lens, shot and read noise.
#include "data/procedural/camera.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "data/procedural/renderers.h"

namespace dforge::data {

namespace {

// Two zero-mean, unit-variance deviates from one Philox block: each the sum of four 16-bit
// uniforms (Irwin-Hall, variance 4/12) rescaled. Close enough to Gaussian for sensor noise and far
// cheaper than Box-Muller.
void sensor_deviates(const philox::Block& block, float& first, float& second) {
  auto sum_of_halves = [](uint32_t a, uint32_t b) {
    return double((a >> 16) + (a & 0xFFFF) + (b >> 16) + (b & 0xFFFF)) * 0x1p-16;
  };
  first = float((sum_of_halves(block.word[0], block.word[1]) - 2.0) * 1.7320508075688772);
  second = float((sum_of_halves(block.word[2], block.word[3]) - 2.0) * 1.7320508075688772);
}

// Multiplies `plane` by the lamp's falloff: 1 + tilt . (position - centre) - vignette * radius^2.
void illuminate(float* plane, int size, double tilt_x, double tilt_y, double vignette) {
  for (int row = 0; row < size; ++row) {
    const double dy = (row + 0.5) / size - 0.5;
    for (int column = 0; column < size; ++column) {
      const double dx = (column + 0.5) / size - 0.5;
      plane[size_t(row) * size_t(size) + size_t(column)] *=
          float(1.0 + tilt_x * dx + tilt_y * dy - vignette * 4.0 * (dx * dx + dy * dy));
    }
  }
}

void add_noise(float* plane, size_t count, double read, double shot, uint64_t seed, uint64_t stream) {
  for (size_t index = 0; index < count; index += 2) {
    float deviate[2];
    sensor_deviates(philox::block_for(seed, stream, index / 2), deviate[0], deviate[1]);
    for (size_t k = 0; k < 2 && index + k < count; ++k) {
      const double signal = std::max(0.0f, plane[index + k]);
      const double sigma = std::sqrt(read * read + shot * signal);
      plane[index + k] = std::clamp(float(plane[index + k] + sigma * deviate[k]), 0.0f, 1.0f);
    }
  }
}

}  // namespace

CapturedImage capture(SurfaceLayers layers, RandomStream stream) {
  const int size = layers.size;
  const size_t plane = size_t(size) * size_t(size);
  const double tilt_x = stream.normal(0.0, 0.06), tilt_y = stream.normal(0.0, 0.06);
  const double vignette = stream.uniform(0.02, 0.07);
  for (int channel = 0; channel < 3; ++channel) {
    illuminate(layers.front.data() + size_t(channel) * plane, size, tilt_x, tilt_y, vignette);
    binomial_blur(layers.front, size, 1, size_t(channel) * plane);
  }
  // The backlight is a diffuser panel: brightest in its middle, set so bare light nearly saturates.
  const double backlight_gain = stream.uniform(0.9, 0.97);
  for (float& value : layers.backlight) value *= float(backlight_gain);
  illuminate(layers.backlight.data(), size, stream.normal(0.0, 0.04), stream.normal(0.0, 0.04), stream.uniform(0.04, 0.1));
  binomial_blur(layers.backlight, size, 1);
  const double read = stream.uniform(0.004, 0.008), shot = stream.uniform(0.0002, 0.0006);
  const uint64_t noise_stream = stream_id({stream.stream(), 0x6E6F6973ull});
  add_noise(layers.front.data(), 3 * plane, read, shot, stream.seed(), noise_stream);
  add_noise(layers.backlight.data(), plane, read, shot, stream.seed(), noise_stream + 1);

  CapturedImage image;
  image.front = Tensor::empty({3, size, size});
  image.backlight = Tensor::empty({1, size, size});
  image.mask = Tensor::empty({1, size, size});
  std::memcpy(image.front.data<float>(), layers.front.data(), 3 * plane * sizeof(float));
  std::memcpy(image.backlight.data<float>(), layers.backlight.data(), plane * sizeof(float));
  std::memcpy(image.mask.data<float>(), layers.mask.data(), plane * sizeof(float));
  return image;
}

}  // namespace dforge::data
