// CPU convolution kernels by im2col / col2im and single-threaded OpenBLAS GEMMs on tiles (with at
// most kDirectMaxColumnChannels column-side channels, direct loops instead: conv_direct.h).
//
// For one image [C, H, W] and a kernel kh x kw, the column matrix has one row per (c, i, j) tap and
// one column per output pixel p = oh W_out + ow:
//   columns[(c kh + i) kw + j][p] = image[c][oh s - pad + i d][ow s - pad + j d]  (0 outside)
// so   conv2d:             y_n[Cout, P] = W[Cout, C kh kw] columns_n
//      its input adjoint:  dx_n = col2im(W^T dy_n)  (= conv_transpose2d: every column entry summed
//                          back into the pixel it was read from)
//      its weight adjoint: dW = sum_n dy_n columns_n^T
// The column matrix of a whole image can be tens of MB; it is never built. Work is cut into items:
// pixel tiles for conv2d and the weight gradient, and blocks of image channels for col2im; each
// about kTileBytes of columns, so they stay in cache, but never so small that BLAS spends its time
// packing the other operand (kMinTilePixels, kMinBlockRows). OpenMP threads take whole items, each
// with its own column buffer, and call BLAS single-threaded (see blas.h). Determinism: every conv2d
// and conv_transpose2d output element comes from one item, summed in a fixed order; the weight
// gradient is summed per thread over a static schedule of tiles, then over threads in thread order.
#include "runtime/conv.h"

#include <omp.h>

#include <algorithm>

#include "runtime/cpu/blas.h"
#include "runtime/cpu/conv_direct.h"
#include "runtime/cpu/conv_geometry.h"

namespace dforge::cpu {

namespace {

constexpr int64_t kTileBytes = 1 << 20;     // columns per item: stays in the L2 cache
constexpr int64_t kMinTilePixels = 512;     // GEMM width per item: packing the weight costs < 1/500 of the work
constexpr int64_t kMinBlockRows = 64;       // GEMM height per col2im item: packing dy costs < 1/64 of the work
constexpr int64_t kParallelWork = 1 << 20;  // multiply-adds; below this threads cost more than they save
constexpr int64_t kPixelAlignment = 16;     // pixel tiles in whole SIMD widths

// ---- im2col / col2im ---------------------------------------------------------------------------

// to[k] = from[k stride] for k < count. Strides 1 and 2 (nearly every conv) are compile-time
// constants, so the compiler vectorises the gather (stride 2: load pairs, keep the even lanes).
template <typename T>
void gather_strided(T* to, const T* from, int64_t count, int64_t stride) {
  if (stride == 1) {
    std::copy(from, from + count, to);
  } else if (stride == 2) {
    for (int64_t k = 0; k < count; ++k) to[k] = from[2 * k];
  } else {
    for (int64_t k = 0; k < count; ++k) to[k] = from[k * stride];
  }
}

// to[k stride] += from[k] for k < count; the adjoint of gather_strided, specialised the same way.
template <typename T>
void scatter_add_strided(T* to, const T* from, int64_t count, int64_t stride) {
  if (stride == 1) {
    for (int64_t k = 0; k < count; ++k) to[k] += from[k];
  } else if (stride == 2) {
    for (int64_t k = 0; k < count; ++k) to[2 * k] += from[k];
  } else {
    for (int64_t k = 0; k < count; ++k) to[k * stride] += from[k];
  }
}

// Writes columns[row][p - first] for the pixels p in [first, first + count) of every tap row.
template <typename T>
void im2col(const Geometry& g, const T* image, int64_t first, int64_t count, T* columns) {
  for (int64_t row = 0; row < g.column_rows(); ++row) {
    const int64_t channel = row / g.taps(), i = (row / g.kernel_width) % g.kernel_height, j = row % g.kernel_width;
    const int64_t offset_h = i * g.dilation - g.padding, offset_w = j * g.dilation - g.padding;
    const Span rows = valid_span(offset_h, g.height, g.stride, g.out_height);
    const Span cols = valid_span(offset_w, g.width, g.stride, g.out_width);
    const T* plane = image + channel * g.height * g.width;
    T* line = columns + row * count;
    for (int64_t p = first; p < first + count;) {  // one output row (or the part of it in range) at a time
      const int64_t oh = p / g.out_width, from = p % g.out_width;
      const int64_t to = std::min(g.out_width, from + (first + count - p));
      T* segment = line + (p - first);  // segment[ow - from] is pixel (oh, ow)
      p += to - from;
      if (oh < rows.begin || oh >= rows.end) {
        std::fill(segment, segment + (to - from), T(0));
        continue;
      }
      const int64_t inside_from = std::clamp(cols.begin, from, to), inside_to = std::clamp(cols.end, inside_from, to);
      const T* source = plane + (oh * g.stride + offset_h) * g.width;  // pixel (oh, ow) reads source[ow s + offset_w]
      std::fill(segment, segment + (inside_from - from), T(0));
      gather_strided(segment + (inside_from - from), source + inside_from * g.stride + offset_w, inside_to - inside_from,
                     g.stride);
      std::fill(segment + (inside_to - from), segment + (to - from), T(0));
    }
  }
}

// For the image channels [first, last): plane = bias (or 0) + every entry of `columns` (whose row 0
// is tap row first * taps, over all pixels) read from that pixel. The adjoint of im2col.
template <typename T>
void col2im(const Geometry& g, const T* columns, const T* bias, int64_t first, int64_t last, T* image) {
  for (int64_t channel = first; channel < last; ++channel) {
    T* plane = image + channel * g.height * g.width;
    std::fill(plane, plane + g.height * g.width, bias ? bias[channel] : T(0));
    for (int64_t i = 0; i < g.kernel_height; ++i) {
      for (int64_t j = 0; j < g.kernel_width; ++j) {
        const int64_t offset_h = i * g.dilation - g.padding, offset_w = j * g.dilation - g.padding;
        const Span rows = valid_span(offset_h, g.height, g.stride, g.out_height);
        const Span cols = valid_span(offset_w, g.width, g.stride, g.out_width);
        const T* row = columns + (((channel - first) * g.kernel_height + i) * g.kernel_width + j) * g.pixels();
        for (int64_t oh = rows.begin; oh < rows.end; ++oh) {
          const T* line = row + oh * g.out_width;
          T* target = plane + (oh * g.stride + offset_h) * g.width;  // pixel (oh, ow) adds to target[ow s + offset_w]
          scatter_add_strided(target + cols.begin * g.stride + offset_w, line + cols.begin, cols.end - cols.begin,
                              g.stride);
        }
      }
    }
  }
}

// ---- work items --------------------------------------------------------------------------------

// Work items: `per_image` pieces of `size` units (the last one may be shorter) for each image.
struct Items {
  int64_t size = 1, per_image = 1;
  int64_t count(int64_t batch) const { return batch * per_image; }
};

// Cuts each image's `extent` units into pieces of `size`, smaller when the batch would otherwise
// have fewer than `minimum_items` items.
Items split(int64_t extent, int64_t size, int64_t batch, int64_t minimum_items, int64_t alignment) {
  const int64_t wanted_per_image = ceil_div(minimum_items, std::max<int64_t>(batch, 1));
  if (ceil_div(extent, size) < wanted_per_image) {
    size = ceil_div(ceil_div(extent, wanted_per_image), alignment) * alignment;
  }
  Items items;
  items.size = std::clamp<int64_t>(size, 1, std::max<int64_t>(extent, 1));
  items.per_image = ceil_div(extent, items.size);
  return items;
}

// Pixel tiles: about kTileBytes of columns (`depth` rows of T), at least kMinTilePixels wide.
template <typename T>
Items pixel_tiles(int64_t pixels, int64_t depth, int64_t batch, int64_t minimum_items) {
  const int64_t size = std::max(kMinTilePixels, kTileBytes / (depth * int64_t(sizeof(T))));
  return split(pixels, ceil_div(size, kPixelAlignment) * kPixelAlignment, batch, minimum_items, kPixelAlignment);
}

// Channel blocks for col2im: about kTileBytes of columns (`taps` x `pixels` of T per channel), at
// least kMinBlockRows GEMM rows.
template <typename T>
Items channel_blocks(int64_t channels, int64_t taps, int64_t pixels, int64_t batch, int64_t minimum_items) {
  const int64_t size = std::max(ceil_div(kMinBlockRows, taps), kTileBytes / (taps * pixels * int64_t(sizeof(T))));
  return split(channels, size, batch, minimum_items, 1);
}

// One buffer of `elements` per thread, allocated before the parallel region.
template <typename T>
struct ThreadBuffers {
  Tensor storage;
  int64_t elements;
  ThreadBuffers(int64_t elements, int threads)
      : storage(Tensor::empty({int64_t(threads) * elements}, dtype_of<T>())), elements(elements) {}
  T* of_thread(int thread) { return storage.data<T>() + thread * elements; }
  T* mine() { return of_thread(omp_get_thread_num()); }
};

// Sets rows[channel * stride + k] = bias[channel] for k < length, for `channels` rows.
template <typename T>
void fill_rows(T* rows, int64_t stride, const T* bias, int64_t channels, int64_t length) {
  for (int64_t channel = 0; channel < channels; ++channel) {
    std::fill(rows + channel * stride, rows + channel * stride + length, bias[channel]);
  }
}

}  // namespace

// y_n[:, tile] = bias + W[Cout, C kh kw] columns_n[:, tile], one item per pixel tile of each image.
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params, Tensor& out) {
  dispatch_floating(x.dtype(), "conv2d", [&]<typename T>() {
    const Geometry g = make_geometry(x.shape(), weight.shape(), out.shape(), params);
    const int64_t batch = x.shape()[0], out_channels = weight.shape()[0], depth = g.column_rows();
    const T *input = x.data<T>(), *kernel = weight.data<T>(), *shift = bias.defined() ? bias.data<T>() : nullptr;
    T* result = out.data<T>();
    if (prefers_direct_loops(out_channels)) {
      direct_conv2d(g, batch, out_channels, input, kernel, shift, result);
      return;
    }
    const int threads = omp_get_max_threads();
    const Items items = pixel_tiles<T>(g.pixels(), depth, batch, threads);
    ThreadBuffers<T> buffers(g.is_pointwise() ? 0 : depth * items.size, threads);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) \
    if (batch * out_channels * depth * g.pixels() > kParallelWork)
    for (int64_t item = 0; item < items.count(batch); ++item) {
      const int64_t n = item / items.per_image, first = (item % items.per_image) * items.size;
      const int64_t count = std::min(items.size, g.pixels() - first);
      T* y = result + n * out_channels * g.pixels() + first;
      if (shift) fill_rows(y, g.pixels(), shift, out_channels, count);
      const T* image = input + n * g.image_size();
      const T* columns = image + first;
      int64_t column_stride = g.pixels();
      if (!g.is_pointwise()) {
        im2col(g, image, first, count, buffers.mine());
        columns = buffers.mine();
        column_stride = count;
      }
      gemm(false, false, out_channels, count, depth, T(1), kernel, depth, columns, column_stride, T(shift ? 1 : 0),
           y, g.pixels());
    }
  });
}

// out_n[channels first..last) = bias + col2im(W[:, first kh kw .. last kh kw)^T x_n), W read as
// [Cin, Cout kh kw] (x_n is on the column side); one item per block of output channels of each image.
void conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                      Tensor& out) {
  dispatch_floating(x.dtype(), "conv_transpose2d", [&]<typename T>() {
    const Geometry g = make_geometry(out.shape(), weight.shape(), x.shape(), params);
    const int64_t batch = x.shape()[0], in_channels = x.shape()[1];
    const T *input = x.data<T>(), *kernel = weight.data<T>(), *shift = bias.defined() ? bias.data<T>() : nullptr;
    T* result = out.data<T>();
    if (prefers_direct_loops(in_channels)) {
      direct_conv_transpose2d(g, batch, in_channels, input, kernel, shift, result);
      return;
    }
    const int threads = omp_get_max_threads();
    const Items items = channel_blocks<T>(g.channels, g.taps(), g.pixels(), batch, threads);
    ThreadBuffers<T> buffers(g.is_pointwise() ? 0 : items.size * g.taps() * g.pixels(), threads);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) \
    if (batch * in_channels * g.column_rows() * g.pixels() > kParallelWork)
    for (int64_t item = 0; item < items.count(batch); ++item) {
      const int64_t n = item / items.per_image, first = (item % items.per_image) * items.size;
      const int64_t last = std::min(g.channels, first + items.size);
      const int64_t rows = (last - first) * g.taps();
      const T* source = input + n * in_channels * g.pixels();
      T* image = result + n * g.image_size();
      if (g.is_pointwise()) {  // col2im is the identity: GEMM straight into the image
        T* planes = image + first * g.pixels();
        if (shift) fill_rows(planes, g.pixels(), shift + first, rows, g.pixels());
        gemm(true, false, rows, g.pixels(), in_channels, T(1), kernel + first, g.column_rows(), source, g.pixels(),
             T(shift ? 1 : 0), planes, g.pixels());
        continue;
      }
      T* columns = buffers.mine();
      gemm(true, false, rows, g.pixels(), in_channels, T(1), kernel + first * g.taps(), g.column_rows(), source,
           g.pixels(), T(0), columns, g.pixels());
      col2im(g, columns, shift, first, last, image);
    }
  });
}

// dW[Cout, C kh kw] = sum over images n and pixel tiles of dy_n[:, tile] columns_n[:, tile]^T. Each
// thread sums its tiles (a static schedule: the same tiles every run) into its own partial; the
// partials are then added in thread order.
void conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const ConvParams& params, Tensor& grad_weight) {
  dispatch_floating(x.dtype(), "conv2d_weight_grad", [&]<typename T>() {
    const Geometry g = make_geometry(x.shape(), grad_weight.shape(), grad_output.shape(), params);
    const int64_t batch = x.shape()[0], out_channels = grad_weight.shape()[0], depth = g.column_rows();
    const int64_t weight_size = grad_weight.numel();
    if (prefers_direct_loops(out_channels)) {
      direct_conv2d_weight_grad(g, batch, out_channels, x.data<T>(), grad_output.data<T>(), grad_weight.data<T>());
      return;
    }
    int threads = batch * out_channels * depth * g.pixels() > kParallelWork ? omp_get_max_threads() : 1;
    const Items items = pixel_tiles<T>(g.pixels(), depth, batch, threads);
    // A thread without an item would only add a weight-sized block of zeros (a U-Net's innermost
    // layers have 4M weights and one or two pixel tiles), and one thread needs no partial sums.
    threads = int(std::clamp<int64_t>(items.count(batch), 1, threads));
    const bool parallel = threads > 1;
    ThreadBuffers<T> buffers(g.is_pointwise() ? 0 : depth * items.size, threads);
    ThreadBuffers<T> partials(parallel ? weight_size : 0, threads);
    const T *input = x.data<T>(), *gradient = grad_output.data<T>();
    int used_threads = 1;
#pragma omp parallel num_threads(threads) if (parallel)
    {
      T* partial = parallel ? partials.mine() : grad_weight.data<T>();
      bool written = false;
#pragma omp single
      used_threads = omp_get_num_threads();
#pragma omp for schedule(static)
      for (int64_t item = 0; item < items.count(batch); ++item) {
        const int64_t n = item / items.per_image, first = (item % items.per_image) * items.size;
        const int64_t count = std::min(items.size, g.pixels() - first);
        const T* image = input + n * g.image_size();
        const T* columns = image + first;
        int64_t column_stride = g.pixels();
        if (!g.is_pointwise()) {
          im2col(g, image, first, count, buffers.mine());
          columns = buffers.mine();
          column_stride = count;
        }
        gemm(false, true, out_channels, depth, count, T(1), gradient + n * out_channels * g.pixels() + first,
             g.pixels(), columns, column_stride, T(written ? 1 : 0), partial, depth);
        written = true;
      }
      if (!written) std::fill(partial, partial + weight_size, T(0));
    }
    if (!parallel) return;  // the one thread wrote dW itself
    // dW = partial_0 + partial_1 + ... in thread order.
    T* result = grad_weight.data<T>();
    const T* sums = partials.of_thread(0);
#pragma omp parallel for if (parallel)
    for (int64_t i = 0; i < weight_size; ++i) {
      T total = sums[i];
      for (int t = 1; t < used_threads; ++t) total += sums[t * weight_size + i];
      result[i] = total;
    }
  });
}

}  // namespace dforge::cpu
