// The geometry of one convolution, shared by the CPU conv kernels (conv.cpp: im2col + GEMM;
// conv_direct.cpp: direct loops for few channels on the column side).
#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/conv.h"

namespace dforge::cpu {

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The image side (conv2d input, conv_transpose2d output) and the column side (conv2d output,
// conv_transpose2d input) of one convolution.
struct Geometry {
  int64_t channels, height, width;  // image
  int64_t kernel_height, kernel_width;
  int64_t out_height, out_width;    // columns
  int64_t stride, padding, dilation;

  int64_t image_size() const { return channels * height * width; }
  int64_t taps() const { return kernel_height * kernel_width; }
  int64_t column_rows() const { return channels * taps(); }
  int64_t pixels() const { return out_height * out_width; }
  // A 1x1 kernel at stride 1 without padding reads each pixel once, in order: the columns are the image.
  bool is_pointwise() const { return taps() == 1 && stride == 1 && padding == 0; }
};

inline Geometry make_geometry(const Shape& image, const Shape& weight, const Shape& columns, const ConvParams& params) {
  return {image[1], image[2], image[3], weight[2], weight[3], columns[2], columns[3],
          params.stride, params.padding, params.dilation};
}

// The output positions [begin, end) along one axis whose tap at `offset` (= i d - padding) lands
// inside an image axis of `size`: 0 <= o s + offset < size.
struct Span {
  int64_t begin, end;
};

inline Span valid_span(int64_t offset, int64_t size, int64_t stride, int64_t count) {
  const int64_t begin = std::min(count, offset >= 0 ? 0 : ceil_div(-offset, stride));
  const int64_t end = size - offset > 0 ? ceil_div(size - offset, stride) : 0;
  return {begin, std::clamp(end, begin, count)};
}

}  // namespace dforge::cpu
