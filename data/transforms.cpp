// The transforms of transforms.h. Resizing is separable: each output row (then column) is a
// weighted sum of input ones, the weights coming from the resampling filter.
#include "data/transforms.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "runtime/error.h"

namespace dforge::data {

namespace {

// For each output index, the input indices it reads and their weights.
using Taps = std::vector<std::vector<std::pair<int, float>>>;

// Box filter: output o covers input [o s, (o + 1) s) with s = in / out; each input pixel weighs
// by the length of its overlap with that interval, divided by s.
Taps area_taps(int in, int out) {
  Taps taps(static_cast<size_t>(out));
  const double step = double(in) / double(out);
  for (int o = 0; o < out; ++o) {
    const double start = o * step, end = (o + 1) * step;
    for (int i = int(std::floor(start)); i < int(std::ceil(end)) && i < in; ++i) {
      const double overlap = std::min(end, double(i + 1)) - std::max(start, double(i));
      if (overlap > 1e-9) taps[size_t(o)].push_back({i, float(overlap / step)});
    }
  }
  return taps;
}

// Linear interpolation at the input position of the output pixel's centre, (o + 0.5) s - 0.5,
// clamped to the edge pixels (align_corners = false).
Taps bilinear_taps(int in, int out) {
  Taps taps(static_cast<size_t>(out));
  const double step = double(in) / double(out);
  for (int o = 0; o < out; ++o) {
    const double source = std::clamp((o + 0.5) * step - 0.5, 0.0, double(in - 1));
    const int low = int(std::floor(source));
    const int high = std::min(low + 1, in - 1);
    const float weight = float(source - low);
    taps[size_t(o)].push_back({low, 1.0f - weight});
    if (high != low && weight > 0.0f) taps[size_t(o)].push_back({high, weight});
  }
  return taps;
}

// image f32 [C, H, W] -> [C, rows.size(), columns.size()].
Tensor resample(const Tensor& image, const Taps& rows, const Taps& columns) {
  const int channels = int(image.size(0)), height = int(image.size(1)), width = int(image.size(2));
  const int out_height = int(rows.size()), out_width = int(columns.size());
  std::vector<float> horizontal(size_t(height) * size_t(out_width));
  Tensor out = Tensor::empty({channels, out_height, out_width});
  const float* in = image.data<float>();
  float* result = out.data<float>();
  for (int channel = 0; channel < channels; ++channel) {
    const float* plane = in + size_t(channel) * size_t(height) * size_t(width);
    for (int row = 0; row < height; ++row)
      for (int column = 0; column < out_width; ++column) {
        float sum = 0.0f;
        for (const auto& [index, weight] : columns[size_t(column)]) sum += weight * plane[size_t(row) * size_t(width) + size_t(index)];
        horizontal[size_t(row) * size_t(out_width) + size_t(column)] = sum;
      }
    float* target = result + size_t(channel) * size_t(out_height) * size_t(out_width);
    for (int row = 0; row < out_height; ++row) {
      float* line = target + size_t(row) * size_t(out_width);
      std::fill(line, line + out_width, 0.0f);
      for (const auto& [index, weight] : rows[size_t(row)]) {
        const float* source = horizontal.data() + size_t(index) * size_t(out_width);
        for (int column = 0; column < out_width; ++column) line[column] += weight * source[column];
      }
    }
  }
  return out;
}

void binarise(Tensor& mask, float threshold) {
  float* values = mask.data<float>();
  const int64_t count = mask.numel();
  for (int64_t i = 0; i < count; ++i) values[i] = values[i] > threshold ? 1.0f : 0.0f;
}

// One of the eight symmetries of the square grid -- flips, then `turns` quarter turns counter-
// clockwise -- with every value mapped to scale * x + offset, in one pass. The source position of
// output pixel (i, j) is affine in (i, j), so each output row walks the source with a fixed step.
Tensor dihedral(const Tensor& image, bool horizontal, bool vertical, int turns, float scale, float offset) {
  const int channels = int(image.size(0)), height = int(image.size(1)), width = int(image.size(2));
  const bool swapped = turns % 2 == 1;
  const int out_height = swapped ? width : height, out_width = swapped ? height : width;
  // Rotation, as numpy.rot90: source (r, c) of the flipped image for output (i, j) is
  // k=0 (i, j); k=1 (j, W-1-i); k=2 (H-1-i, W-1-j); k=3 (H-1-j, i). Written r = r0 + ri i + rj j.
  int64_t r0 = 0, ri = 1, rj = 0, c0 = 0, ci = 0, cj = 1;
  switch (turns) {
    case 1: r0 = 0, ri = 0, rj = 1, c0 = width - 1, ci = -1, cj = 0; break;
    case 2: r0 = height - 1, ri = -1, rj = 0, c0 = width - 1, ci = 0, cj = -1; break;
    case 3: r0 = height - 1, ri = 0, rj = -1, c0 = 0, ci = 1, cj = 0; break;
    default: break;
  }
  // The flips act on the source first: r -> H-1-r, c -> W-1-c.
  if (vertical) r0 = height - 1 - r0, ri = -ri, rj = -rj;
  if (horizontal) c0 = width - 1 - c0, ci = -ci, cj = -cj;
  Tensor out = Tensor::empty({channels, out_height, out_width});
  const float* in = image.data<float>();
  float* result = out.data<float>();
  const int64_t step = rj * width + cj;
  for (int channel = 0; channel < channels; ++channel) {
    const float* plane = in + size_t(channel) * size_t(height) * size_t(width);
    float* target = result + size_t(channel) * size_t(out_height) * size_t(out_width);
    for (int i = 0; i < out_height; ++i) {
      const float* source = plane + (r0 + ri * i) * width + (c0 + ci * i);
      float* line = target + size_t(i) * size_t(out_width);
      for (int j = 0; j < out_width; ++j) line[j] = scale * source[j * step] + offset;
    }
  }
  return out;
}

template <typename Function>
Sample map_planes(const Sample& sample, Function function) {
  Sample out = sample;
  out.image = function(sample.image);
  if (sample.mask.defined()) out.mask = function(sample.mask);
  return out;
}

void check_sample(const Sample& sample, const char* op) {
  DFORGE_CHECK(sample.image.defined() && sample.image.dtype() == DType::f32 && sample.image.ndim() == 3, op,
               ": the sample's image ", sample.image.defined() ? sample.image.describe() : std::string("(undefined)"),
               " must be f32 [C, H, W] (", sample.path, ")");
  DFORGE_CHECK(!sample.mask.defined() || (sample.mask.ndim() == 3 && sample.mask.size(0) == 1 &&
                                          sample.mask.size(1) == sample.image.size(1) &&
                                          sample.mask.size(2) == sample.image.size(2)),
               op, ": mask ", sample.mask.defined() ? sample.mask.describe() : std::string(), " does not match image ",
               sample.image.describe(), " (", sample.path, ")");
}

void check_fits(const Sample& sample, int height, int width, const char* op) {
  DFORGE_CHECK(height >= 1 && width >= 1, op, ": crop ", width, "x", height, " is empty");
  DFORGE_CHECK(sample.image.size(1) >= height && sample.image.size(2) >= width, op, ": image ",
               sample.image.describe(), " is smaller than the ", width, "x", height, " crop (resize first) (",
               sample.path, ")");
}

}  // namespace

Sample resize(const Sample& sample, int height, int width, ResizeMethod method) {
  check_sample(sample, "resize");
  DFORGE_CHECK(height >= 1 && width >= 1, "resize: target ", width, "x", height, " is empty");
  const int in_height = int(sample.image.size(1)), in_width = int(sample.image.size(2));
  if (in_height == height && in_width == width) return sample;
  const Taps rows = method == ResizeMethod::area ? area_taps(in_height, height) : bilinear_taps(in_height, height);
  const Taps columns = method == ResizeMethod::area ? area_taps(in_width, width) : bilinear_taps(in_width, width);
  Sample out = sample;
  out.image = resample(sample.image, rows, columns);
  if (sample.mask.defined()) {
    out.mask = resample(sample.mask, rows, columns);
    binarise(out.mask, method == ResizeMethod::area ? 1e-6f : 0.5f);
  }
  return out;
}

Sample crop(const Sample& sample, int top, int left, int height, int width) {
  check_sample(sample, "crop");
  if (top == 0 && left == 0 && height == sample.image.size(1) && width == sample.image.size(2)) return sample;
  DFORGE_CHECK(top >= 0 && left >= 0 && height >= 1 && width >= 1 && top + height <= sample.image.size(1) &&
                   left + width <= sample.image.size(2),
               "crop: window ", width, "x", height, " at (", left, ", ", top, ") leaves image ",
               sample.image.describe(), " (", sample.path, ")");
  return map_planes(sample, [&](const Tensor& plane) {
    const int channels = int(plane.size(0)), full_height = int(plane.size(1)), full_width = int(plane.size(2));
    Tensor out = Tensor::empty({channels, height, width});
    for (int channel = 0; channel < channels; ++channel)
      for (int row = 0; row < height; ++row)
        std::memcpy(out.data<float>() + (size_t(channel) * size_t(height) + size_t(row)) * size_t(width),
                    plane.data<float>() + (size_t(channel) * size_t(full_height) + size_t(top + row)) * size_t(full_width) +
                        size_t(left),
                    size_t(width) * sizeof(float));
    return out;
  });
}

Sample random_crop(const Sample& sample, int height, int width, RandomStream& stream) {
  check_sample(sample, "random_crop");
  check_fits(sample, height, width, "random_crop");
  const int top = int(stream.integer(sample.image.size(1) - height + 1));
  const int left = int(stream.integer(sample.image.size(2) - width + 1));
  return crop(sample, top, left, height, width);
}

Sample defect_centred_crop(const Sample& sample, int height, int width, RandomStream& stream) {
  check_sample(sample, "defect_centred_crop");
  check_fits(sample, height, width, "defect_centred_crop");
  const int image_height = int(sample.image.size(1)), image_width = int(sample.image.size(2));
  int top_row = image_height, bottom_row = -1, left_column = image_width, right_column = -1;
  int64_t defect_pixels = 0;
  const float* mask = sample.mask.defined() ? sample.mask.data<float>() : nullptr;
  if (mask != nullptr) {
    for (int row = 0; row < image_height; ++row)
      for (int column = 0; column < image_width; ++column)
        if (mask[size_t(row) * size_t(image_width) + size_t(column)] > 0.5f) {
          top_row = std::min(top_row, row), bottom_row = std::max(bottom_row, row);
          left_column = std::min(left_column, column), right_column = std::max(right_column, column);
          ++defect_pixels;
        }
  }
  if (defect_pixels == 0) return random_crop(sample, height, width, stream);
  // The window whose centre is (row, column), clamped to the image.
  auto window_around = [&](int row, int column, int& top, int& left) {
    top = std::clamp(row - height / 2, 0, image_height - height);
    left = std::clamp(column - width / 2, 0, image_width - width);
  };
  auto holds_defect = [&](int top, int left) {
    for (int row = top; row < top + height; ++row)
      for (int column = left; column < left + width; ++column)
        if (mask[size_t(row) * size_t(image_width) + size_t(column)] > 0.5f) return true;
    return false;
  };
  const int row = top_row + int(stream.integer(bottom_row - top_row + 1));
  const int column = left_column + int(stream.integer(right_column - left_column + 1));
  int top = 0, left = 0;
  window_around(row, column, top, left);
  if (!holds_defect(top, left)) {
    // Centre on the k-th defect pixel instead; the window then contains it.
    int64_t wanted = stream.integer(defect_pixels);
    for (int r = 0; r < image_height && wanted >= 0; ++r)
      for (int c = 0; c < image_width && wanted >= 0; ++c)
        if (mask[size_t(r) * size_t(image_width) + size_t(c)] > 0.5f && wanted-- == 0) window_around(r, c, top, left);
  }
  return crop(sample, top, left, height, width);
}

Sample flip_horizontal(const Sample& sample) {
  check_sample(sample, "flip_horizontal");
  return map_planes(sample, [](const Tensor& plane) { return dihedral(plane, true, false, 0, 1.0f, 0.0f); });
}

Sample flip_vertical(const Sample& sample) {
  check_sample(sample, "flip_vertical");
  return map_planes(sample, [](const Tensor& plane) { return dihedral(plane, false, true, 0, 1.0f, 0.0f); });
}

Sample rotate90(const Sample& sample, int quarter_turns) {
  check_sample(sample, "rotate90");
  const int turns = ((quarter_turns % 4) + 4) % 4;
  if (turns == 0) return sample;
  return map_planes(sample, [&](const Tensor& plane) { return dihedral(plane, false, false, turns, 1.0f, 0.0f); });
}

Sample colour_jitter(const Sample& sample, const ColourJitter& jitter, RandomStream& stream) {
  check_sample(sample, "colour_jitter");
  DFORGE_CHECK(jitter.brightness >= 0 && jitter.contrast >= 0 && jitter.saturation >= 0,
               "colour_jitter: strengths must not be negative (brightness ", jitter.brightness, ", contrast ",
               jitter.contrast, ", saturation ", jitter.saturation, ")");
  const float brightness = float(1.0 + stream.uniform(-jitter.brightness, jitter.brightness));
  const float contrast = float(1.0 + stream.uniform(-jitter.contrast, jitter.contrast));
  const float saturation = float(1.0 + stream.uniform(-jitter.saturation, jitter.saturation));
  Sample out = sample;
  out.image = sample.image.clone();
  const int channels = int(out.image.size(0));
  const size_t plane = size_t(out.image.size(1)) * size_t(out.image.size(2));
  float* values = out.image.data<float>();
  for (int channel = 0; channel < channels; ++channel) {
    float* data = values + size_t(channel) * plane;
    double sum = 0.0;
    for (size_t i = 0; i < plane; ++i) sum += data[i] *= brightness;
    const float mean = float(sum / double(plane));
    for (size_t i = 0; i < plane; ++i) data[i] = mean + contrast * (data[i] - mean);
  }
  if (channels >= 3) {
    for (size_t i = 0; i < plane; ++i) {
      const float luma = 0.2126f * values[i] + 0.7152f * values[plane + i] + 0.0722f * values[2 * plane + i];
      for (int channel = 0; channel < 3; ++channel) {
        float& value = values[size_t(channel) * plane + i];
        value = luma + saturation * (value - luma);
      }
    }
  }
  for (size_t i = 0; i < size_t(channels) * plane; ++i) values[i] = std::clamp(values[i], 0.0f, 1.0f);
  return out;
}

Sample to_signed_range(const Sample& sample) {
  check_sample(sample, "to_signed_range");
  Sample out = sample;
  out.image = Tensor::empty(sample.image.shape());
  const float* in = sample.image.data<float>();
  float* values = out.image.data<float>();
  const int64_t count = sample.image.numel();
  for (int64_t i = 0; i < count; ++i) values[i] = 2.0f * in[i] - 1.0f;
  return out;
}

Sample apply_transforms(Sample sample, const TransformOptions& options, const RandomStream& stream) {
  if (options.resize_height > 0 || options.resize_width > 0) {
    DFORGE_CHECK(options.resize_height > 0 && options.resize_width > 0, "transforms: resize ", options.resize_width,
                 "x", options.resize_height, " needs both sides");
    sample = resize(sample, options.resize_height, options.resize_width, options.resize_method);
  }
  if (options.crop != CropMode::none) {
    RandomStream crop_stream = stream.fork(1);
    const int height = options.crop_height, width = options.crop_width;
    switch (options.crop) {
      case CropMode::random: sample = random_crop(sample, height, width, crop_stream); break;
      case CropMode::defect_centred: sample = defect_centred_crop(sample, height, width, crop_stream); break;
      case CropMode::centre:
        check_fits(sample, height, width, "centre crop");
        sample = crop(sample, int(sample.image.size(1) - height) / 2, int(sample.image.size(2) - width) / 2, height, width);
        break;
      case CropMode::none: break;
    }
  }
  const bool horizontal = options.flip_horizontal && stream.fork(2).chance(0.5);
  const bool vertical = options.flip_vertical && stream.fork(3).chance(0.5);
  const int turns = options.rotate90 ? int(stream.fork(4).integer(4)) : 0;
  // Colour jitter acts on values alone (its contrast uses the mean), so it commutes with the flips
  // and turns; running it first lets those and the [-1, 1] scaling share one pass over the pixels.
  if (options.jitter.enabled()) {
    RandomStream jitter_stream = stream.fork(5);
    sample = colour_jitter(sample, options.jitter, jitter_stream);
  }
  if (horizontal || vertical || turns != 0 || options.signed_range) {
    check_sample(sample, "transforms");
    const float scale = options.signed_range ? 2.0f : 1.0f, offset = options.signed_range ? -1.0f : 0.0f;
    sample.image = dihedral(sample.image, horizontal, vertical, turns, scale, offset);
    if (sample.mask.defined()) sample.mask = dihedral(sample.mask, horizontal, vertical, turns, 1.0f, 0.0f);
  }
  return sample;
}

}  // namespace dforge::data
