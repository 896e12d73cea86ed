// L1 / L2 / SSIM inside and outside a mask (see image_metrics.h for the definitions).
#include "metrics/image_metrics.h"

#include <cmath>
#include <limits>
#include <vector>

#include "runtime/error.h"

namespace dforge::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kTruncate = 3.5;  // scipy.ndimage.gaussian_filter's default, as skimage uses it

// The image as f64 values on the host, after checking it is [C, H, W].
std::vector<double> host_values(const Tensor& image, const char* what) {
  DFORGE_CHECK(image.defined() && image.ndim() == 3, "image metrics: ", what, " must be [C, H, W], got ",
               image.defined() ? shape_str(image.shape()) : std::string("an undefined tensor"));
  return image.to_vector();
}

void check_same_shape(const Tensor& a, const Tensor& b) {
  DFORGE_CHECK(a.defined() && b.defined() && a.shape() == b.shape(), "image metrics: the images differ in shape: ",
               a.defined() ? shape_str(a.shape()) : "undefined", " vs ", b.defined() ? shape_str(b.shape()) : "undefined");
}

// scipy's 'reflect' mode: the border sample is repeated (d c b a | a b c d | d c b a).
int64_t reflect(int64_t index, int64_t size) {
  const int64_t period = 2 * size;
  index %= period;
  if (index < 0) index += period;
  return index < size ? index : period - 1 - index;
}

// The normalised 1-D Gaussian of scipy.ndimage.gaussian_filter: radius int(truncate sigma + 0.5).
std::vector<double> gaussian_taps(double sigma) {
  const int radius = int(kTruncate * sigma + 0.5);
  std::vector<double> taps(size_t(2 * radius + 1));
  double sum = 0;
  for (int offset = -radius; offset <= radius; ++offset) {
    taps[size_t(offset + radius)] = std::exp(-0.5 * offset * offset / (sigma * sigma));
    sum += taps[size_t(offset + radius)];
  }
  for (double& tap : taps) tap /= sum;
  return taps;
}

// Separable Gaussian filter of one H x W plane (rows first, then columns), reflect border.
std::vector<double> gaussian_filter(const std::vector<double>& plane, int64_t height, int64_t width,
                                    const std::vector<double>& taps) {
  const int64_t radius = int64_t(taps.size() / 2);
  std::vector<double> rows(plane.size()), out(plane.size());
  for (int64_t y = 0; y < height; ++y)
    for (int64_t x = 0; x < width; ++x) {
      double sum = 0;
      for (int64_t k = -radius; k <= radius; ++k) sum += taps[size_t(k + radius)] * plane[size_t(y * width + reflect(x + k, width))];
      rows[size_t(y * width + x)] = sum;
    }
  for (int64_t y = 0; y < height; ++y)
    for (int64_t x = 0; x < width; ++x) {
      double sum = 0;
      for (int64_t k = -radius; k <= radius; ++k) sum += taps[size_t(k + radius)] * rows[size_t(reflect(y + k, height) * width + x)];
      out[size_t(y * width + x)] = sum;
    }
  return out;
}

// Running sums of one region.
struct RegionSums {
  double absolute = 0, squared = 0;
  int64_t values = 0;  // pixels x channels
  double ssim = 0;
  int64_t ssim_pixels = 0;

  RegionMetrics result() const {
    RegionMetrics metrics;
    metrics.l1 = values ? absolute / double(values) : kNaN;
    metrics.l2 = values ? squared / double(values) : kNaN;
    metrics.ssim = ssim_pixels ? ssim / double(ssim_pixels) : kNaN;
    return metrics;
  }
};

}  // namespace

int ssim_crop(const SsimOptions& options) { return int(kTruncate * options.sigma + 0.5); }

Tensor ssim_map(const Tensor& a, const Tensor& b, const SsimOptions& options) {
  check_same_shape(a, b);
  const std::vector<double> x = host_values(a, "the first image"), y = host_values(b, "the second image");
  const int64_t channels = a.size(0), height = a.size(1), width = a.size(2);
  const std::vector<double> taps = gaussian_taps(options.sigma);
  const int64_t window = int64_t(taps.size());
  DFORGE_CHECK(height >= window && width >= window, "ssim: image ", shape_str(a.shape()), " is smaller than the ",
               window, "x", window, " window");
  const double c1 = std::pow(options.k1 * options.data_range, 2), c2 = std::pow(options.k2 * options.data_range, 2);
  const size_t plane = size_t(height * width);
  std::vector<std::vector<double>> channel_maps(static_cast<size_t>(channels));
#pragma omp parallel for schedule(static)
  for (int64_t channel = 0; channel < channels; ++channel) {
    const size_t offset = size_t(channel) * plane;
    std::vector<double> px(x.begin() + long(offset), x.begin() + long(offset + plane));
    std::vector<double> py(y.begin() + long(offset), y.begin() + long(offset + plane));
    std::vector<double> pxx(plane), pyy(plane), pxy(plane);
    for (size_t i = 0; i < plane; ++i) {
      pxx[i] = px[i] * px[i];
      pyy[i] = py[i] * py[i];
      pxy[i] = px[i] * py[i];
    }
    const std::vector<double> ux = gaussian_filter(px, height, width, taps), uy = gaussian_filter(py, height, width, taps);
    const std::vector<double> uxx = gaussian_filter(pxx, height, width, taps);
    const std::vector<double> uyy = gaussian_filter(pyy, height, width, taps);
    const std::vector<double> uxy = gaussian_filter(pxy, height, width, taps);
    std::vector<double>& map = channel_maps[size_t(channel)];
    map.resize(plane);
    for (size_t i = 0; i < plane; ++i) {
      const double vx = uxx[i] - ux[i] * ux[i], vy = uyy[i] - uy[i] * uy[i], vxy = uxy[i] - ux[i] * uy[i];
      map[i] = (2 * ux[i] * uy[i] + c1) * (2 * vxy + c2) / ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2));
    }
  }
  Tensor result = Tensor::zeros({height, width}, DType::f64);
  double* out = result.data<double>();
  for (const std::vector<double>& map : channel_maps)
    for (size_t i = 0; i < plane; ++i) out[i] += map[i] / double(channels);
  return result;
}

MaskedImageMetrics masked_image_metrics(const Tensor& a, const Tensor& b, const Tensor& mask,
                                        const SsimOptions& options) {
  check_same_shape(a, b);
  const std::vector<double> x = host_values(a, "the first image"), y = host_values(b, "the second image");
  const int64_t channels = a.size(0), height = a.size(1), width = a.size(2);
  const bool masked = mask.defined();
  std::vector<double> mask_values;
  if (masked) {
    DFORGE_CHECK(mask.shape() == Shape({1, height, width}), "image metrics: the mask is ", shape_str(mask.shape()),
                 ", the images are ", shape_str(a.shape()), " (expected a mask [1, ", height, ", ", width, "])");
    mask_values = mask.to_vector();
  }
  const size_t plane = size_t(height * width);
  auto inside = [&](size_t pixel) { return mask_values[pixel] > 0.5; };

  RegionSums all, in, out;
  for (size_t pixel = 0; pixel < plane; ++pixel) {
    double absolute = 0, squared = 0;
    for (int64_t channel = 0; channel < channels; ++channel) {
      const double difference = x[size_t(channel) * plane + pixel] - y[size_t(channel) * plane + pixel];
      absolute += std::abs(difference);
      squared += difference * difference;
    }
    for (RegionSums* region : {&all, masked ? (inside(pixel) ? &in : &out) : nullptr}) {
      if (!region) continue;
      region->absolute += absolute;
      region->squared += squared;
      region->values += channels;
    }
  }

  // An image smaller than the window leaves no pixel after the crop: SSIM is NaN everywhere.
  const int64_t crop = ssim_crop(options);
  const bool window_fits = height >= 2 * crop + 1 && width >= 2 * crop + 1;
  const Tensor map_tensor = window_fits ? ssim_map(a, b, options) : Tensor::zeros({height, width}, DType::f64);
  const double* map = map_tensor.data<double>();
  for (int64_t row = crop; row < height - crop; ++row)  // no iteration when the window does not fit
    for (int64_t column = crop; column < width - crop; ++column) {
      const size_t pixel = size_t(row * width + column);
      for (RegionSums* region : {&all, masked ? (inside(pixel) ? &in : &out) : nullptr}) {
        if (!region) continue;
        region->ssim += map[pixel];
        region->ssim_pixels += 1;
      }
    }

  MaskedImageMetrics metrics;
  metrics.all = all.result();
  metrics.inside = masked ? in.result() : RegionMetrics{kNaN, kNaN, kNaN};
  metrics.outside = masked ? out.result() : RegionMetrics{kNaN, kNaN, kNaN};
  return metrics;
}

}  // namespace dforge::metrics
