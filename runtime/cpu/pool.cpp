// CPU pooling kernels. Average and adaptive pooling are separable linear maps (cpu/separable.h)
// with 1-D matrices from runtime/separable_maps.h. Max pooling scans each window in row-major order;
// its backward is a gather: every input element sums, in ascending output order, the outputs
// whose window covers it and whose argmax is that element.
#include "runtime/pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "runtime/cpu/separable.h"
#include "runtime/separable_maps.h"

namespace dforge::cpu {

namespace {
constexpr int64_t kParallelThreshold = 32768;

// The outputs along one dim whose window [o s - p, o s - p + k) contains input i:
// ceil((i + p - k + 1) / s) <= o <= floor((i + p) / s), clipped to [0, outputs).
struct OutputRange {
  int64_t first, last;  // inclusive; empty when first > last
};
OutputRange windows_covering(int64_t i, int64_t outputs, int kernel, int stride, int padding) {
  const int64_t lowest_end = i + padding - kernel + 1;
  const int64_t first = lowest_end <= 0 ? 0 : (lowest_end + stride - 1) / stride;
  const int64_t last = std::min<int64_t>((i + padding) / stride, outputs - 1);
  return {first, last};
}
}  // namespace

void avg_pool2d(const Tensor& x, int kernel, int stride, int padding, bool count_include_pad, Tensor& out) {
  apply_separable(average_window_map(x.size(2), out.size(2), kernel, stride, padding, count_include_pad),
                  average_window_map(x.size(3), out.size(3), kernel, stride, padding, count_include_pad), x, out);
}

void avg_pool2d_backward(const Tensor& grad_output, int kernel, int stride, int padding, bool count_include_pad,
                         Tensor& grad_input) {
  apply_separable_transposed(
      average_window_map(grad_input.size(2), grad_output.size(2), kernel, stride, padding, count_include_pad),
      average_window_map(grad_input.size(3), grad_output.size(3), kernel, stride, padding, count_include_pad),
      grad_output, grad_input);
}

void adaptive_avg_pool2d(const Tensor& x, Tensor& out) {
  apply_separable(adaptive_bin_map(x.size(2), out.size(2)), adaptive_bin_map(x.size(3), out.size(3)), x, out);
}

void adaptive_avg_pool2d_backward(const Tensor& grad_output, Tensor& grad_input) {
  apply_separable_transposed(adaptive_bin_map(grad_input.size(2), grad_output.size(2)),
                             adaptive_bin_map(grad_input.size(3), grad_output.size(3)), grad_output, grad_input);
}

void max_pool2d(const Tensor& x, int kernel, int stride, int padding, Tensor& out, Tensor& indices) {
  const int64_t height = x.size(2), width = x.size(3);
  const int64_t out_h = out.size(2), out_w = out.size(3);
  const int64_t output_rows = out.numel() / std::max<int64_t>(out_w, 1);
  dispatch_floating(x.dtype(), "max_pool2d", [&]<typename T>() {
    const T* in = x.data<T>();
    T* values = out.data<T>();
    int32_t* argmax = indices.data<int32_t>();
#pragma omp parallel for if (out.numel() > kParallelThreshold)
    for (int64_t output_row = 0; output_row < output_rows; ++output_row) {
      const int64_t plane = output_row / out_h, i = output_row % out_h;
      const T* source = in + plane * height * width;
      const int64_t h_start = i * stride - padding;
      const int64_t h_first = std::max<int64_t>(h_start, 0), h_last = std::min<int64_t>(h_start + kernel, height);
      for (int64_t j = 0; j < out_w; ++j) {
        const int64_t w_start = j * stride - padding;
        const int64_t w_first = std::max<int64_t>(w_start, 0), w_last = std::min<int64_t>(w_start + kernel, width);
        // Padding is -inf, so only in-image elements compete; a NaN always wins (PyTorch's rule).
        T best = -std::numeric_limits<T>::infinity();
        int64_t best_index = h_first * width + w_first;
        for (int64_t h = h_first; h < h_last; ++h) {
          for (int64_t w = w_first; w < w_last; ++w) {
            const T value = source[h * width + w];
            if (value > best || std::isnan(value)) {
              best = value;
              best_index = h * width + w;
            }
          }
        }
        values[output_row * out_w + j] = best;
        argmax[output_row * out_w + j] = int32_t(best_index);
      }
    }
  });
}

void max_pool2d_backward(const Tensor& grad_output, const Tensor& indices, int kernel, int stride, int padding,
                         Tensor& grad_input) {
  const int64_t height = grad_input.size(2), width = grad_input.size(3);
  const int64_t out_h = grad_output.size(2), out_w = grad_output.size(3);
  const int64_t input_rows = grad_input.numel() / width;
  dispatch_floating(grad_output.dtype(), "max_pool2d_backward", [&]<typename T>() {
    const T* gradient = grad_output.data<T>();
    const int32_t* argmax = indices.data<int32_t>();
    T* result = grad_input.data<T>();
    std::vector<OutputRange> column_ranges(static_cast<size_t>(width));
    for (int64_t w = 0; w < width; ++w) column_ranges[size_t(w)] = windows_covering(w, out_w, kernel, stride, padding);
#pragma omp parallel for if (grad_input.numel() > kParallelThreshold)
    for (int64_t input_row = 0; input_row < input_rows; ++input_row) {
      const int64_t plane = input_row / height, h = input_row % height;
      const T* plane_gradient = gradient + plane * out_h * out_w;
      const int32_t* plane_argmax = argmax + plane * out_h * out_w;
      const OutputRange rows = windows_covering(h, out_h, kernel, stride, padding);
      for (int64_t w = 0; w < width; ++w) {
        const OutputRange columns = column_ranges[size_t(w)];
        const int32_t element = int32_t(h * width + w);
        double total = 0;
        for (int64_t i = rows.first; i <= rows.last; ++i) {
          for (int64_t j = columns.first; j <= columns.last; ++j) {
            if (plane_argmax[i * out_w + j] == element) total += double(plane_gradient[i * out_w + j]);
          }
        }
        result[input_row * width + w] = T(total);
      }
    }
  });
}

void max_pool2d_select(const Tensor& x, const Tensor& indices, Tensor& out) {
  const int64_t plane_size = x.size(2) * x.size(3);
  const int64_t selected_per_plane = indices.size(2) * indices.size(3);
  const int64_t count = out.numel();
  int64_t out_of_range = 0;
  dispatch_floating(x.dtype(), "max_pool2d_select", [&]<typename T>() {
    const T* in = x.data<T>();
    const int32_t* index = indices.data<int32_t>();
    T* result = out.data<T>();
#pragma omp parallel for reduction(+ : out_of_range) if (count > kParallelThreshold)
    for (int64_t o = 0; o < count; ++o) {
      const int64_t element = index[o];
      const bool inside = element >= 0 && element < plane_size;
      out_of_range += inside ? 0 : 1;
      result[o] = inside ? in[(o / selected_per_plane) * plane_size + element] : T(0);
    }
  });
  DFORGE_CHECK(out_of_range == 0, "max_pool2d_select: ", out_of_range, " indices fall outside the ",
               x.size(2), "x", x.size(3), " input plane");
}

}  // namespace dforge::cpu
