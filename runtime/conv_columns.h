// The column matrix of a convolution, one element at a time: what the CUDA im2col and col2im
// kernels (runtime/cuda/conv.cu) compute per thread, written once here so the CPU tests can run
// the same functions (tests/runtime/test_conv_columns.cpp).
//
// For one image [C, H, W] and a kernel kh x kw, the column matrix has one row per (c, i, j) tap and
// one column per output pixel (oh, ow):
//   columns[(c kh + i) kw + j][oh W_out + ow] = image[c][oh s - p + i d][ow s - p + j d]  (0 outside)
// Its adjoint, col2im, is written as a gather: each image pixel sums, in (i, j) order, the column
// entries that were read from it, so one thread writes each pixel and no atomics are needed. Every
// division of an index is by a size fixed at launch, through IndexDivider.
#pragma once

#include <cstdint>

#include "runtime/conv.h"
#include "runtime/host_device.h"
#include "runtime/index_divider.h"
#include "runtime/shape.h"

namespace dforge {

class ConvColumns {
 public:
  // image: [N, C, H, W] (conv2d input, conv_transpose2d output); weight: [., ., kh, kw];
  // columns: [N, ., H_out, W_out] (conv2d output, conv_transpose2d input).
  ConvColumns(const Shape& image, const Shape& weight, const Shape& columns, const ConvParams& params)
      : channels_(image[1]), height_(image[2]), width_(image[3]), kernel_height_(weight[2]),
        kernel_width_(weight[3]), out_height_(columns[2]), out_width_(columns[3]), stride_(params.stride),
        padding_(params.padding), dilation_(params.dilation) {
    // Each divider is told the largest index it will see (empty sizes divide nothing).
    entry_column_ = IndexDivider(column_cols(), column_rows() * column_cols() - 1);
    tap_width_ = IndexDivider(kernel_width_, column_rows() - 1);
    tap_height_ = IndexDivider(kernel_height_, channels_ * kernel_height_ - 1);
    out_width_divider_ = IndexDivider(out_width_, column_cols() - 1);
    pixel_width_ = IndexDivider(width_, image_size() - 1);
    pixel_height_ = IndexDivider(height_, channels_ * height_ - 1);
    stride_divider_ = IndexDivider(stride_, height_ + width_ + padding_);
  }

  DFORGE_HOST_DEVICE int64_t channels() const { return channels_; }
  DFORGE_HOST_DEVICE int64_t image_size() const { return channels_ * height_ * width_; }
  DFORGE_HOST_DEVICE int64_t column_rows() const { return channels_ * kernel_height_ * kernel_width_; }
  DFORGE_HOST_DEVICE int64_t column_cols() const { return out_height_ * out_width_; }
  // A 1x1 kernel at stride 1 without padding reads each pixel once, in order: the columns are the image.
  bool is_pointwise() const { return kernel_height_ == 1 && kernel_width_ == 1 && stride_ == 1 && padding_ == 0; }

  // im2col: the image offset that column entry `entry` (row-major over [rows, cols]) reads, or -1
  // where it falls in the zero padding.
  DFORGE_HOST_DEVICE int64_t image_offset(int64_t entry) const {
    const auto [row, column] = entry_column_.divide(entry);
    const auto [channel_row, j] = tap_width_.divide(row);
    const auto [channel, i] = tap_height_.divide(channel_row);
    const auto [oh, ow] = out_width_divider_.divide(column);
    const int64_t h = oh * stride_ - padding_ + i * dilation_;
    const int64_t w = ow * stride_ - padding_ + j * dilation_;
    const bool inside = h >= 0 && h < height_ && w >= 0 && w < width_;
    return inside ? (channel * height_ + h) * width_ + w : -1;
  }

  // col2im: bias[channel] (0 without a bias) plus every column entry read from image pixel
  // `pixel`, in (i, j) order. Tap (i, j) reads (h, w) from output (oh, ow) when h = oh s - p + i d,
  // i.e. when h + p - i d is a non-negative multiple of s whose quotient is below H_out (same for w).
  template <typename T>
  DFORGE_HOST_DEVICE T gather_pixel(const T* columns, const T* bias, int64_t pixel) const {
    const auto [channel_row, w] = pixel_width_.divide(pixel);
    const auto [channel, h] = pixel_height_.divide(channel_row);
    T total = bias ? bias[channel] : T(0);
    for (int64_t i = 0; i < kernel_height_; ++i) {
      const int64_t reach_h = h + padding_ - i * dilation_;
      if (reach_h < 0) break;  // reach_h falls as i grows
      const auto [oh, off_h] = stride_divider_.divide(reach_h);
      if (off_h != 0 || oh >= out_height_) continue;
      for (int64_t j = 0; j < kernel_width_; ++j) {
        const int64_t reach_w = w + padding_ - j * dilation_;
        if (reach_w < 0) break;
        const auto [ow, off_w] = stride_divider_.divide(reach_w);
        if (off_w != 0 || ow >= out_width_) continue;
        const int64_t row = (channel * kernel_height_ + i) * kernel_width_ + j;
        total += columns[row * column_cols() + oh * out_width_ + ow];
      }
    }
    return total;
  }

 private:
  int64_t channels_, height_, width_;
  int64_t kernel_height_, kernel_width_;
  int64_t out_height_, out_width_;
  int64_t stride_, padding_, dilation_;
  IndexDivider entry_column_, tap_width_, tap_height_, out_width_divider_;
  IndexDivider pixel_width_, pixel_height_, stride_divider_;
};

}  // namespace dforge
