// CPU normalisation kernels. Each group (one index of the kept axes) is handled by one thread in a
// fixed row-major order with double accumulators: two passes for the statistics (mean, then the
// sum of squared deviations, which is stable where E[x^2] - E[x]^2 is not) and one to write.
// Kept axes after the last normalised one are contiguous in memory; they form "lanes" that are
// processed side by side in blocks, so normalising over channels (axis 1 of NCHW) reads whole rows
// instead of striding through memory once per pixel.
#include "runtime/norm.h"

#include <algorithm>
#include <cmath>

namespace dforge::cpu {

namespace {

constexpr int64_t kParallelThreshold = 32768;  // below this, thread start-up costs more than it saves
constexpr int64_t kLaneBlock = 64;             // lanes processed together by one thread

// x seen as [outer kept dims] x [normalised dims] interleaved, followed by `lanes` contiguous kept
// elements. Adjacent dims of one kind are merged and dims of size 1 dropped, so the common cases
// (instance norm, batch norm) become one or two long contiguous loops.
struct NormLayout {
  std::vector<int64_t> outer_sizes, outer_strides;      // kept dims before the last normalised axis
  std::vector<int64_t> reduced_sizes, reduced_strides;  // normalised dims, outer to inner
  int64_t lanes = 1;        // elements of the kept dims after the last normalised axis
  int64_t outer_count = 1;  // groups = outer_count * lanes
  int64_t count = 1;        // elements per group

  NormLayout(const Shape& shape, const std::vector<int>& axes) {
    const Shape strides = contiguous_strides(shape);
    const int last_axis = axes.back();
    for (int d = last_axis + 1; d < int(shape.size()); ++d) lanes *= shape[d];
    enum class Kind { none, kept, reduced } previous = Kind::none;
    for (int d = 0; d <= last_axis; ++d) {
      if (shape[d] == 1) continue;
      const bool reduced = std::binary_search(axes.begin(), axes.end(), d);
      const Kind kind = reduced ? Kind::reduced : Kind::kept;
      std::vector<int64_t>& sizes = reduced ? reduced_sizes : outer_sizes;
      std::vector<int64_t>& dim_strides = reduced ? reduced_strides : outer_strides;
      if (kind == previous) {  // contiguous with the dim before: merge
        sizes.back() *= shape[d];
        dim_strides.back() = strides[d];
      } else {
        sizes.push_back(shape[d]);
        dim_strides.push_back(strides[d]);
      }
      previous = kind;
      (reduced ? count : outer_count) *= shape[d];
    }
    if (reduced_sizes.empty()) {  // every normalised dim has size 1: one element per group
      reduced_sizes.push_back(1);
      reduced_strides.push_back(0);
    }
  }

  int64_t outer_offset(int64_t outer) const {
    int64_t offset = 0;
    for (int d = int(outer_sizes.size()) - 1; d >= 0; --d) {
      offset += (outer % outer_sizes[d]) * outer_strides[d];
      outer /= outer_sizes[d];
    }
    return offset;
  }

  // Calls visit(offset) for every element of the group starting at `base`, in row-major order.
  template <typename Visit>
  void for_each_in_group(int64_t base, Visit&& visit) const {
    const int last = int(reduced_sizes.size()) - 1;
    const int64_t inner = reduced_sizes[last], inner_stride = reduced_strides[last];
    for (int64_t row = 0; row < count / inner; ++row) {
      int64_t offset = base, rest = row;
      for (int d = last - 1; d >= 0; --d) {
        offset += (rest % reduced_sizes[d]) * reduced_strides[d];
        rest /= reduced_sizes[d];
      }
      for (int64_t i = 0; i < inner; ++i) visit(offset + i * inner_stride);
    }
  }

  int64_t lane_blocks() const { return (lanes + kLaneBlock - 1) / kLaneBlock; }
};

// Calls work(base, first_group, width) for every block of up to kLaneBlock groups that share
// their outer index; `base` is the offset of the block's first element, `first_group` the flat
// index of its first group in the statistics tensors.
template <typename Work>
void for_each_block(const NormLayout& layout, int64_t elements, Work&& work) {
  const int64_t blocks = layout.lane_blocks();
  const int64_t items = layout.outer_count * blocks;
#pragma omp parallel for if (elements > kParallelThreshold && items > 1)
  for (int64_t item = 0; item < items; ++item) {
    const int64_t outer = item / blocks, first_lane = (item % blocks) * kLaneBlock;
    const int64_t width = std::min(kLaneBlock, layout.lanes - first_lane);
    work(layout.outer_offset(outer) + first_lane, outer * layout.lanes + first_lane, width);
  }
}

}  // namespace

void normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, Tensor& output, Tensor& mean,
                       Tensor& var, Tensor& rstd) {
  dispatch_floating(x.dtype(), "normalize_forward", [&]<typename T>() {
    const T* in = x.data<T>();
    T* out = output.data<T>();
    T* mean_out = mean.data<T>();
    T* var_out = var.data<T>();
    T* rstd_out = rstd.data<T>();
    const NormLayout layout(x.shape(), axes);
    const double count = double(layout.count);
    for_each_block(layout, x.numel(), [&](int64_t base, int64_t first_group, int64_t width) {
      double totals[kLaneBlock] = {}, squares[kLaneBlock] = {};
      layout.for_each_in_group(base, [&](int64_t offset) {
        for (int64_t lane = 0; lane < width; ++lane) totals[lane] += double(in[offset + lane]);
      });
      double averages[kLaneBlock];
      for (int64_t lane = 0; lane < width; ++lane) averages[lane] = totals[lane] / count;
      layout.for_each_in_group(base, [&](int64_t offset) {
        for (int64_t lane = 0; lane < width; ++lane) {
          const double deviation = double(in[offset + lane]) - averages[lane];
          squares[lane] += deviation * deviation;
        }
      });
      T shift[kLaneBlock], scale[kLaneBlock];
      for (int64_t lane = 0; lane < width; ++lane) {
        const double variance = squares[lane] / count;  // biased, as normalisation layers use
        const double inverse_std = 1.0 / std::sqrt(variance + eps);
        mean_out[first_group + lane] = T(averages[lane]);
        var_out[first_group + lane] = T(variance);
        rstd_out[first_group + lane] = T(inverse_std);
        shift[lane] = T(averages[lane]);
        scale[lane] = T(inverse_std);
      }
      layout.for_each_in_group(base, [&](int64_t offset) {
        for (int64_t lane = 0; lane < width; ++lane) out[offset + lane] = (in[offset + lane] - shift[lane]) * scale[lane];
      });
    });
  });
}

// dx = rstd * (dy - mean(dy) - y * mean(dy * y)), from y = (x - mean) * rstd:
//   d mean / dx_i = 1/n,  d rstd / dx_i = -rstd^3 (x_i - mean) / n = -rstd^2 y_i / n.
void normalize_backward(const Tensor& grad_output, const Tensor& normalized, const Tensor& rstd,
                        const std::vector<int>& axes, Tensor& grad_input) {
  dispatch_floating(normalized.dtype(), "normalize_backward", [&]<typename T>() {
    const T* dy = grad_output.data<T>();
    const T* y = normalized.data<T>();
    const T* inverse_std = rstd.data<T>();
    T* dx = grad_input.data<T>();
    const NormLayout layout(normalized.shape(), axes);
    const double count = double(layout.count);
    for_each_block(layout, normalized.numel(), [&](int64_t base, int64_t first_group, int64_t width) {
      double gradient_totals[kLaneBlock] = {}, projection_totals[kLaneBlock] = {};
      layout.for_each_in_group(base, [&](int64_t offset) {
        for (int64_t lane = 0; lane < width; ++lane) {
          gradient_totals[lane] += double(dy[offset + lane]);
          projection_totals[lane] += double(dy[offset + lane]) * double(y[offset + lane]);
        }
      });
      T gradient_mean[kLaneBlock], projection_mean[kLaneBlock], scale[kLaneBlock];
      for (int64_t lane = 0; lane < width; ++lane) {
        gradient_mean[lane] = T(gradient_totals[lane] / count);
        projection_mean[lane] = T(projection_totals[lane] / count);
        scale[lane] = inverse_std[first_group + lane];
      }
      layout.for_each_in_group(base, [&](int64_t offset) {
        for (int64_t lane = 0; lane < width; ++lane) {
          const int64_t i = offset + lane;
          dx[i] = scale[lane] * (dy[i] - gradient_mean[lane] - y[i] * projection_mean[lane]);
        }
      });
    });
  });
}

}  // namespace dforge::cpu
