// CUDA pooling kernels, mirroring runtime/cpu/pool.cpp. Average and adaptive pooling are separable
// linear maps (runtime/cuda/separable.cuh); their 1-D matrices come from runtime/separable_maps.h,
// shared with the CPU file. Max pooling scans each window in row-major order (one thread per
// output); its backward is a gather: every input element sums, in ascending output order, the
// outputs whose window covers it and whose argmax is that element. No atomics on floating-point
// values.
#include <algorithm>
#include <cmath>

#include "runtime/cuda/common.cuh"
#include "runtime/cuda/separable.cuh"
#include "runtime/cuda_backend.h"
#include "runtime/index_divider.h"
#include "runtime/pool.h"
#include "runtime/separable_maps.h"

namespace dforge::cuda {

namespace {

// The sizes of one pooling, each also as an IndexDivider for the kernels' index splits.
struct PoolGeometry {
  int64_t height, width, out_height, out_width;
  int kernel, stride, padding;
  IndexDivider height_divider, width_divider, out_height_divider, out_width_divider, stride_divider;
};

template <typename T>
__global__ void max_pool_kernel(PoolGeometry g, const T* in, T* values, int32_t* argmax, int64_t count) {
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    const auto [row, j] = g.out_width_divider.divide(index);
    const auto [plane, i] = g.out_height_divider.divide(row);
    const T* source = in + plane * g.height * g.width;
    const int64_t h_start = i * g.stride - g.padding, w_start = j * g.stride - g.padding;
    const int64_t h_first = h_start > 0 ? h_start : 0, h_last = min(h_start + g.kernel, g.height);
    const int64_t w_first = w_start > 0 ? w_start : 0, w_last = min(w_start + g.kernel, g.width);
    // Padding is -inf, so only in-image elements compete; a NaN always wins (PyTorch's rule).
    T best = T(-INFINITY);
    int64_t best_index = h_first * g.width + w_first;
    for (int64_t h = h_first; h < h_last; ++h) {
      for (int64_t w = w_first; w < w_last; ++w) {
        const T value = source[h * g.width + w];
        if (value > best || value != value) {
          best = value;
          best_index = h * g.width + w;
        }
      }
    }
    values[index] = best;
    argmax[index] = int32_t(best_index);
  }
}

// The outputs along one dim whose window [o s - p, o s - p + k) contains input i:
// ceil((i + p - k + 1) / s) <= o <= floor((i + p) / s), clipped to [0, outputs).
struct OutputRange {
  int64_t first, last;  // inclusive; empty when first > last
};

__device__ OutputRange windows_covering(int64_t i, int64_t outputs, int kernel, int stride, int padding,
                                        const IndexDivider& by_stride) {
  const int64_t lowest_end = i + padding - kernel + 1;
  const int64_t first = lowest_end <= 0 ? 0 : by_stride.quotient(lowest_end + stride - 1);
  const int64_t last = min(by_stride.quotient(i + padding), outputs - 1);
  return {first, last};
}

template <typename T>
__global__ void max_pool_backward_kernel(PoolGeometry g, const T* gradient, const int32_t* argmax, T* result,
                                         int64_t count) {
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    const auto [row, w] = g.width_divider.divide(index);
    const auto [plane, h] = g.height_divider.divide(row);
    const T* plane_gradient = gradient + plane * g.out_height * g.out_width;
    const int32_t* plane_argmax = argmax + plane * g.out_height * g.out_width;
    const OutputRange rows = windows_covering(h, g.out_height, g.kernel, g.stride, g.padding, g.stride_divider);
    const OutputRange columns = windows_covering(w, g.out_width, g.kernel, g.stride, g.padding, g.stride_divider);
    const int32_t element = int32_t(h * g.width + w);
    double total = 0;
    for (int64_t i = rows.first; i <= rows.last; ++i) {
      for (int64_t j = columns.first; j <= columns.last; ++j) {
        if (plane_argmax[i * g.out_width + j] == element)
          total += double(plane_gradient[i * g.out_width + j]);
      }
    }
    result[index] = T(total);
  }
}

// out[o] = x[plane of o, indices[o]]; counts the indices outside the plane (integer atomics: the
// count does not depend on their order).
template <typename T>
__global__ void max_pool_select_kernel(const T* in, const int32_t* indices, T* out, int64_t count,
                                       int64_t plane_size, int64_t selected_per_plane,
                                       unsigned long long* out_of_range) {
  for (int64_t o = global_thread_index(); o < count; o += global_thread_count()) {
    const int64_t element = indices[o];
    const bool inside = element >= 0 && element < plane_size;
    if (!inside) atomicAdd(out_of_range, 1ull);
    out[o] = inside ? in[(o / selected_per_plane) * plane_size + element] : T(0);
  }
}

PoolGeometry pool_geometry(const Tensor& image, const Tensor& pooled, int kernel, int stride, int padding) {
  const int64_t height = image.size(2), width = image.size(3), out_height = pooled.size(2), out_width = pooled.size(3);
  const int64_t last_pixel = image.numel() - 1, last_output = pooled.numel() - 1;
  return {height,
          width,
          out_height,
          out_width,
          kernel,
          stride,
          padding,
          IndexDivider(height, width > 0 ? last_pixel / width : 0),
          IndexDivider(width, last_pixel),
          IndexDivider(out_height, out_width > 0 ? last_output / out_width : 0),
          IndexDivider(out_width, last_output),
          IndexDivider(stride, height + width + 2 * int64_t(padding) + kernel + stride)};
}

}  // namespace

void avg_pool2d(const Tensor& x, int kernel, int stride, int padding, bool count_include_pad, Tensor& out) {
  cuda::apply_separable(
      average_window_map(x.size(2), out.size(2), kernel, stride, padding, count_include_pad),
      average_window_map(x.size(3), out.size(3), kernel, stride, padding, count_include_pad), x, out);
}

void avg_pool2d_backward(const Tensor& grad_output, int kernel, int stride, int padding,
                         bool count_include_pad, Tensor& grad_input) {
  cuda::apply_separable_transposed(
      average_window_map(grad_input.size(2), grad_output.size(2), kernel, stride, padding, count_include_pad),
      average_window_map(grad_input.size(3), grad_output.size(3), kernel, stride, padding, count_include_pad),
      grad_output, grad_input);
}

void adaptive_avg_pool2d(const Tensor& x, Tensor& out) {
  cuda::apply_separable(adaptive_bin_map(x.size(2), out.size(2)), adaptive_bin_map(x.size(3), out.size(3)), x,
                        out);
}

void adaptive_avg_pool2d_backward(const Tensor& grad_output, Tensor& grad_input) {
  cuda::apply_separable_transposed(adaptive_bin_map(grad_input.size(2), grad_output.size(2)),
                                   adaptive_bin_map(grad_input.size(3), grad_output.size(3)), grad_output,
                                   grad_input);
}

void max_pool2d(const Tensor& x, int kernel, int stride, int padding, Tensor& out, Tensor& indices) {
  const PoolGeometry g = pool_geometry(x, out, kernel, stride, padding);
  dispatch_floating(x.dtype(), "max_pool2d", [&]<typename T>() {
    launch_for(out.numel(), max_pool_kernel<T>, g, x.data<T>(), out.data<T>(), indices.data<int32_t>(),
               out.numel());
  });
}

void max_pool2d_backward(const Tensor& grad_output, const Tensor& indices, int kernel, int stride,
                         int padding, Tensor& grad_input) {
  const PoolGeometry g = pool_geometry(grad_input, grad_output, kernel, stride, padding);
  dispatch_floating(grad_output.dtype(), "max_pool2d_backward", [&]<typename T>() {
    launch_for(grad_input.numel(), max_pool_backward_kernel<T>, g, grad_output.data<T>(),
               indices.data<int32_t>(), grad_input.data<T>(), grad_input.numel());
  });
}

// Reads the out-of-range count back to report it as the CPU does: one synchronisation per call.
void max_pool2d_select(const Tensor& x, const Tensor& indices, Tensor& out) {
  const int64_t plane_size = x.size(2) * x.size(3);
  const int64_t selected_per_plane = indices.size(2) * indices.size(3);
  Tensor counter = Tensor::zeros({1}, DType::f64, Device::cuda());  // 8 bytes, used as an integer
  auto* out_of_range = static_cast<unsigned long long*>(counter.raw());
  dispatch_floating(x.dtype(), "max_pool2d_select", [&]<typename T>() {
    launch_for(out.numel(), max_pool_select_kernel<T>, x.data<T>(), indices.data<int32_t>(), out.data<T>(),
               out.numel(), plane_size, selected_per_plane, out_of_range);
  });
  unsigned long long count = 0;
  copy(&count, Device::cpu(), out_of_range, Device::cuda(), sizeof(count));
  DFORGE_CHECK(count == 0, "max_pool2d_select: ", count, " indices fall outside the ", x.size(2), "x",
               x.size(3), " input plane");
}

}  // namespace dforge::cuda
