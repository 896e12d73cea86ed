// CPU convolution kernels by im2col / col2im and one OpenBLAS GEMM per image of the batch.
//
// For one image [C, H, W] and a kernel kh x kw, the column matrix has one row per (c, i, j) tap and
// one column per output pixel (oh, ow):
//   columns[(c kh + i) kw + j][oh W_out + ow] = image[c][oh s - p + i d][ow s - p + j d]  (0 outside)
// so conv2d is   y[Cout, HW_out] = W[Cout, C kh kw] columns,
// its input adjoint (conv_transpose2d) is col2im(W^T dy), the sum of every column entry back into
// the image pixel it was read from, and its weight adjoint is dW = sum_n dy_n columns_n^T.
// OpenMP parallelises im2col over column rows and col2im over image channels (each thread owns its
// rows/channels and sums in a fixed order, so results are deterministic); GEMMs run outside
// parallel regions on OpenBLAS's own threads.
#include "runtime/conv.h"

#include <algorithm>

#include "runtime/cpu/blas.h"

namespace dforge::cpu {

namespace {

constexpr int64_t kParallelThreshold = 16384;  // elements; below this, threads cost more than they save

// The image side (conv2d input, conv_transpose2d output) and the column side (conv2d output,
// conv_transpose2d input) of one convolution.
struct Geometry {
  int64_t channels, height, width;          // image
  int64_t kernel_height, kernel_width;
  int64_t out_height, out_width;            // columns
  int64_t stride, padding, dilation;

  int64_t image_size() const { return channels * height * width; }
  int64_t column_rows() const { return channels * kernel_height * kernel_width; }
  int64_t column_cols() const { return out_height * out_width; }
  // A 1x1 kernel at stride 1 without padding reads each pixel once, in order: the columns are the image.
  bool is_pointwise() const { return kernel_height == 1 && kernel_width == 1 && stride == 1 && padding == 0; }
};

Geometry make_geometry(const Shape& image, const Shape& weight, const Shape& columns, const ConvParams& params) {
  return {image[1], image[2], image[3], weight[2], weight[3], columns[2], columns[3],
          params.stride, params.padding, params.dilation};
}

// The output positions [begin, end) along one axis whose tap at `offset` (= i d - p) lands inside
// an image axis of `size`: 0 <= o s + offset < size.
struct Span {
  int64_t begin, end;
  bool contains(int64_t o) const { return o >= begin && o < end; }
};

Span valid_span(int64_t offset, int64_t size, int64_t stride, int64_t count) {
  const int64_t begin = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const int64_t end = size - offset > 0 ? (size - offset + stride - 1) / stride : 0;
  return {std::min(begin, count), std::clamp(end, std::min(begin, count), count)};
}

// columns[row][oh W_out + ow] for every tap row (see the file comment).
template <typename T>
void im2col(const Geometry& g, const T* image, T* columns) {
  const int64_t taps = g.kernel_height * g.kernel_width;
#pragma omp parallel for if (g.column_rows() * g.column_cols() > kParallelThreshold)
  for (int64_t row = 0; row < g.column_rows(); ++row) {
    const int64_t channel = row / taps, i = (row / g.kernel_width) % g.kernel_height, j = row % g.kernel_width;
    const int64_t offset_h = i * g.dilation - g.padding, offset_w = j * g.dilation - g.padding;
    const Span rows = valid_span(offset_h, g.height, g.stride, g.out_height);
    const Span cols = valid_span(offset_w, g.width, g.stride, g.out_width);
    const T* plane = image + channel * g.height * g.width;
    T* line = columns + row * g.column_cols();
    for (int64_t oh = 0; oh < g.out_height; ++oh, line += g.out_width) {
      if (!rows.contains(oh)) {
        std::fill(line, line + g.out_width, T(0));
        continue;
      }
      const int64_t base = (oh * g.stride + offset_h) * g.width + offset_w;
      std::fill(line, line + cols.begin, T(0));
      if (g.stride == 1) {
        std::copy(plane + base + cols.begin, plane + base + cols.end, line + cols.begin);
      } else {
        for (int64_t ow = cols.begin; ow < cols.end; ++ow) line[ow] = plane[base + ow * g.stride];
      }
      std::fill(line + cols.end, line + g.out_width, T(0));
    }
  }
}

// image[c] = bias[c] (or 0) + the sum of every column entry read from that pixel (the adjoint of im2col).
template <typename T>
void col2im(const Geometry& g, const T* columns, const T* bias, T* image) {
#pragma omp parallel for if (g.column_rows() * g.column_cols() > kParallelThreshold)
  for (int64_t channel = 0; channel < g.channels; ++channel) {
    T* plane = image + channel * g.height * g.width;
    std::fill(plane, plane + g.height * g.width, bias ? bias[channel] : T(0));
    for (int64_t i = 0; i < g.kernel_height; ++i) {
      for (int64_t j = 0; j < g.kernel_width; ++j) {
        const int64_t offset_h = i * g.dilation - g.padding, offset_w = j * g.dilation - g.padding;
        const Span rows = valid_span(offset_h, g.height, g.stride, g.out_height);
        const Span cols = valid_span(offset_w, g.width, g.stride, g.out_width);
        const T* row = columns + ((channel * g.kernel_height + i) * g.kernel_width + j) * g.column_cols();
        for (int64_t oh = rows.begin; oh < rows.end; ++oh) {
          const T* line = row + oh * g.out_width;
          const int64_t base = (oh * g.stride + offset_h) * g.width + offset_w;
          for (int64_t ow = cols.begin; ow < cols.end; ++ow) plane[base + ow * g.stride] += line[ow];
        }
      }
    }
  }
}

// Sets each of the `channels` rows of length `length` to bias[channel].
template <typename T>
void fill_rows(T* rows, const T* bias, int64_t channels, int64_t length) {
  for (int64_t channel = 0; channel < channels; ++channel) {
    std::fill(rows + channel * length, rows + (channel + 1) * length, bias[channel]);
  }
}

// A column buffer for one image, or nothing when the image is its own column matrix.
template <typename T>
Tensor column_buffer(const Geometry& g) {
  if (g.is_pointwise()) return Tensor();
  return Tensor::empty({g.column_rows(), g.column_cols()}, dtype_of<T>());
}

// The column matrix of `image`: the image itself when pointwise, else im2col into `buffer`.
template <typename T>
const T* columns_of(const Geometry& g, const T* image, Tensor& buffer) {
  if (g.is_pointwise()) return image;
  im2col(g, image, buffer.data<T>());
  return buffer.data<T>();
}

}  // namespace

// y_n[Cout, HW_out] = bias + W[Cout, Cin kh kw] columns(x_n)
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params, Tensor& out) {
  dispatch_floating(x.dtype(), "conv2d", [&]<typename T>() {
    const Geometry g = make_geometry(x.shape(), weight.shape(), out.shape(), params);
    const int64_t out_channels = weight.shape()[0];
    Tensor buffer = column_buffer<T>(g);
    for (int64_t n = 0; n < x.shape()[0]; ++n) {
      T* result = out.data<T>() + n * out_channels * g.column_cols();
      if (bias.defined()) fill_rows(result, bias.data<T>(), out_channels, g.column_cols());
      const T* columns = columns_of(g, x.data<T>() + n * g.image_size(), buffer);
      gemm(false, false, out_channels, g.column_cols(), g.column_rows(), T(1), weight.data<T>(), g.column_rows(),
           columns, g.column_cols(), T(bias.defined() ? 1 : 0), result, g.column_cols());
    }
  });
}

// out_n = bias + col2im(W^T x_n), with W read as [Cin, Cout kh kw] (x_n is on the column side).
void conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                      Tensor& out) {
  dispatch_floating(x.dtype(), "conv_transpose2d", [&]<typename T>() {
    const Geometry g = make_geometry(out.shape(), weight.shape(), x.shape(), params);
    const int64_t in_channels = x.shape()[1];
    const T* shift = bias.defined() ? bias.data<T>() : nullptr;
    Tensor buffer = column_buffer<T>(g);
    for (int64_t n = 0; n < x.shape()[0]; ++n) {
      const T* source = x.data<T>() + n * in_channels * g.column_cols();
      T* image = out.data<T>() + n * g.image_size();
      if (g.is_pointwise()) {  // col2im is the identity: GEMM straight into the image
        if (shift) fill_rows(image, shift, g.channels, g.column_cols());
        gemm(true, false, g.column_rows(), g.column_cols(), in_channels, T(1), weight.data<T>(), g.column_rows(),
             source, g.column_cols(), T(shift ? 1 : 0), image, g.column_cols());
        continue;
      }
      T* columns = buffer.data<T>();
      gemm(true, false, g.column_rows(), g.column_cols(), in_channels, T(1), weight.data<T>(), g.column_rows(),
           source, g.column_cols(), T(0), columns, g.column_cols());
      col2im(g, columns, shift, image);
    }
  });
}

// dW[Cout, Cin kh kw] = sum_n dy_n[Cout, HW_out] columns(x_n)^T, accumulated in batch order.
void conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const ConvParams& params, Tensor& grad_weight) {
  dispatch_floating(x.dtype(), "conv2d_weight_grad", [&]<typename T>() {
    const Geometry g = make_geometry(x.shape(), grad_weight.shape(), grad_output.shape(), params);
    const int64_t out_channels = grad_weight.shape()[0];
    const int64_t batch = x.shape()[0];
    T* result = grad_weight.data<T>();
    if (batch == 0) std::fill(result, result + grad_weight.numel(), T(0));
    Tensor buffer = column_buffer<T>(g);
    for (int64_t n = 0; n < batch; ++n) {
      const T* columns = columns_of(g, x.data<T>() + n * g.image_size(), buffer);
      const T* gradient = grad_output.data<T>() + n * out_channels * g.column_cols();
      gemm(false, true, out_channels, g.column_rows(), g.column_cols(), T(1), gradient, g.column_cols(), columns,
           g.column_cols(), T(n == 0 ? 0 : 1), result, g.column_rows());
    }
  });
}

}  // namespace dforge::cpu
