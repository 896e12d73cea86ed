// Direct-loop convolutions for few column-side channels; see conv_direct.h for the sums. Inner
// loops run along an output row; at stride 1 they are plain contiguous loops the compiler
// vectorises.
#include "runtime/cpu/conv_direct.h"

#include <algorithm>
#include <vector>

namespace dforge::cpu {

namespace {

constexpr int64_t kParallelWork = 1 << 20;  // multiply-adds; below this threads cost more than they save

// target[o] += scale * source[o * stride] for o in span.
template <typename T>
void add_scaled(T* target, const T* source, T scale, Span span, int64_t stride) {
  if (stride == 1) {
    for (int64_t o = span.begin; o < span.end; ++o) target[o] += scale * source[o];
  } else {
    for (int64_t o = span.begin; o < span.end; ++o) target[o] += scale * source[o * stride];
  }
}

// target[o * stride] += scale * source[o] for o in span.
template <typename T>
void scatter_scaled(T* target, const T* source, T scale, Span span, int64_t stride) {
  if (stride == 1) {
    for (int64_t o = span.begin; o < span.end; ++o) target[o] += scale * source[o];
  } else {
    for (int64_t o = span.begin; o < span.end; ++o) target[o * stride] += scale * source[o];
  }
}

}  // namespace

template <typename T>
void direct_conv2d(const Geometry& g, int64_t batch, int64_t out_channels, const T* x, const T* weight,
                   const T* bias, T* y) {
  const int64_t rows = batch * out_channels * g.out_height;
  const bool parallel = rows > 1 && batch * out_channels * g.column_rows() * g.pixels() > kParallelWork;
  // Each image row is copied into `padded` with the padding as zeros, so every tap j reads
  // padded[ow s + j d] for all ow: one branch-free loop per image row with the kernel row's taps
  // applied in order j = 0, 1, ... (the same order of additions as tap by tap).
  const int64_t padded_width = (g.out_width - 1) * g.stride + (g.kernel_width - 1) * g.dilation + 1;
#pragma omp parallel if (parallel)
  {
    std::vector<T> padded(static_cast<size_t>(padded_width));
#pragma omp for
    for (int64_t item = 0; item < rows; ++item) {  // one output row per item
      const int64_t oh = item % g.out_height, o = (item / g.out_height) % out_channels;
      const int64_t n = item / g.out_height / out_channels;
      T* row = y + item * g.out_width;
      std::fill(row, row + g.out_width, bias ? bias[o] : T(0));
      for (int64_t c = 0; c < g.channels; ++c) {
        const T* plane = x + (n * g.channels + c) * g.height * g.width;
        for (int64_t i = 0; i < g.kernel_height; ++i) {
          const int64_t ih = oh * g.stride + i * g.dilation - g.padding;
          if (ih < 0 || ih >= g.height) continue;
          // padded[k] = image[ih][k - padding], 0 outside the image.
          const int64_t copied = std::clamp<int64_t>(padded_width - g.padding, 0, g.width);
          std::fill(padded.begin(), padded.end(), T(0));
          std::copy(plane + ih * g.width, plane + ih * g.width + copied, padded.begin() + std::min(g.padding, padded_width));
          const T* taps = weight + ((o * g.channels + c) * g.kernel_height + i) * g.kernel_width;
          const T* source = padded.data();
          for (int64_t j = 0; j < g.kernel_width; ++j) {
            add_scaled(row, source + j * g.dilation, taps[j], Span{0, g.out_width}, g.stride);
          }
        }
      }
    }
  }
}

template <typename T>
void direct_conv_transpose2d(const Geometry& g, int64_t batch, int64_t in_channels, const T* x, const T* weight,
                             const T* bias, T* image) {
  const int64_t planes = batch * g.channels;
  const bool parallel = planes > 1 && batch * in_channels * g.column_rows() * g.pixels() > kParallelWork;
#pragma omp parallel for if (parallel)
  for (int64_t item = 0; item < planes; ++item) {  // one image plane per item
    const int64_t c = item % g.channels, n = item / g.channels;
    T* plane = image + item * g.height * g.width;
    std::fill(plane, plane + g.height * g.width, bias ? bias[c] : T(0));
    for (int64_t k = 0; k < in_channels; ++k) {
      const T* source = x + (n * in_channels + k) * g.pixels();
      for (int64_t i = 0; i < g.kernel_height; ++i) {
        const int64_t offset_h = i * g.dilation - g.padding;
        const Span rows = valid_span(offset_h, g.height, g.stride, g.out_height);
        for (int64_t j = 0; j < g.kernel_width; ++j) {
          const int64_t offset_w = j * g.dilation - g.padding;
          const Span cols = valid_span(offset_w, g.width, g.stride, g.out_width);
          const T scale = weight[((k * g.channels + c) * g.kernel_height + i) * g.kernel_width + j];
          for (int64_t oh = rows.begin; oh < rows.end; ++oh) {
            scatter_scaled(plane + (oh * g.stride + offset_h) * g.width + offset_w, source + oh * g.out_width, scale,
                           cols, g.stride);
          }
        }
      }
    }
  }
}

template <typename T>
void direct_conv2d_weight_grad(const Geometry& g, int64_t batch, int64_t out_channels, const T* x,
                               const T* grad_output, T* grad_weight) {
  const int64_t pairs = out_channels * g.channels;
  const bool parallel = pairs > 1 && batch * out_channels * g.column_rows() * g.pixels() > kParallelWork;
#pragma omp parallel if (parallel)
  {
    // partials[ow]: the sum over images and output rows for one output column, then summed in
    // column order (a vectorisable inner loop instead of one serial accumulator).
    std::vector<T> partials(size_t(g.out_width));
#pragma omp for
    for (int64_t item = 0; item < pairs; ++item) {  // one (output channel, image channel) pair per item
      const int64_t c = item % g.channels, o = item / g.channels;
      for (int64_t i = 0; i < g.kernel_height; ++i) {
        const int64_t offset_h = i * g.dilation - g.padding;
        const Span rows = valid_span(offset_h, g.height, g.stride, g.out_height);
        for (int64_t j = 0; j < g.kernel_width; ++j) {
          const int64_t offset_w = j * g.dilation - g.padding;
          const Span cols = valid_span(offset_w, g.width, g.stride, g.out_width);
          std::fill(partials.begin(), partials.end(), T(0));
          for (int64_t n = 0; n < batch; ++n) {
            const T* plane = x + (n * g.channels + c) * g.height * g.width;
            const T* gradient = grad_output + (n * out_channels + o) * g.pixels();
            for (int64_t oh = rows.begin; oh < rows.end; ++oh) {
              const T* source = plane + (oh * g.stride + offset_h) * g.width + offset_w;
              const T* line = gradient + oh * g.out_width;
              if (g.stride == 1) {
                for (int64_t ow = cols.begin; ow < cols.end; ++ow) partials[ow] += line[ow] * source[ow];
              } else {
                for (int64_t ow = cols.begin; ow < cols.end; ++ow) partials[ow] += line[ow] * source[ow * g.stride];
              }
            }
          }
          T total = 0;
          for (int64_t ow = 0; ow < g.out_width; ++ow) total += partials[ow];
          grad_weight[((o * g.channels + c) * g.kernel_height + i) * g.kernel_width + j] = total;
        }
      }
    }
  }
}

template void direct_conv2d(const Geometry&, int64_t, int64_t, const float*, const float*, const float*, float*);
template void direct_conv2d(const Geometry&, int64_t, int64_t, const double*, const double*, const double*, double*);
template void direct_conv_transpose2d(const Geometry&, int64_t, int64_t, const float*, const float*, const float*,
                                      float*);
template void direct_conv_transpose2d(const Geometry&, int64_t, int64_t, const double*, const double*,
                                      const double*, double*);
template void direct_conv2d_weight_grad(const Geometry&, int64_t, int64_t, const float*, const float*, float*);
template void direct_conv2d_weight_grad(const Geometry&, int64_t, int64_t, const double*, const double*, double*);

}  // namespace dforge::cpu
