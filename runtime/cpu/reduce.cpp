// CPU reductions. Each output element is reduced by one thread in a fixed order with double
// accumulators, so results are deterministic and accurate: this is the reference the CUDA
// kernels are checked against.
#include "runtime/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dforge::cpu {

namespace {

// Splits the input's dims into kept ones (indexing outputs) and reduced ones (walked per output).
struct ReduceLayout {
  std::vector<int64_t> kept_sizes, kept_strides;        // outer to inner
  std::vector<int64_t> reduced_sizes, reduced_strides;  // outer to inner
  int64_t outputs = 1, count = 1;                        // output elements; elements per output

  ReduceLayout(const Shape& shape, const std::vector<int>& axes) {
    Shape strides = contiguous_strides(shape);
    for (int d = 0; d < int(shape.size()); ++d) {
      if (std::binary_search(axes.begin(), axes.end(), d)) {
        if (!reduced_sizes.empty() && reduced_strides.back() == shape[d] * strides[d]) {
          // Adjacent to the previous reduced dim in memory: one longer dim (H, W -> H * W).
          reduced_sizes.back() *= shape[d];
          reduced_strides.back() = strides[d];
        } else {
          reduced_sizes.push_back(shape[d]);
          reduced_strides.push_back(strides[d]);
        }
        count *= shape[d];
      } else {
        kept_sizes.push_back(shape[d]);
        kept_strides.push_back(strides[d]);
        outputs *= shape[d];
      }
    }
  }

  int64_t base_offset(int64_t output) const {
    int64_t offset = 0;
    for (int d = int(kept_sizes.size()) - 1; d >= 0; --d) {
      offset += (output % kept_sizes[d]) * kept_strides[d];
      output /= kept_sizes[d];
    }
    return offset;
  }

  // Calls visit_row(offset, length, stride) for the rows of one output's `count` elements, in
  // row-major order.
  template <typename VisitRow>
  void for_each_reduced_row(int64_t base, VisitRow&& visit_row) const {
    if (count == 0) return;  // an empty group (sum over an empty axis is 0)
    const int last = int(reduced_sizes.size()) - 1;
    const int64_t inner = reduced_sizes[last], inner_stride = reduced_strides[last];
    for (int64_t outer = 0; outer < count / inner; ++outer) {
      int64_t offset = base, rest = outer;
      for (int d = last - 1; d >= 0; --d) {
        offset += (rest % reduced_sizes[d]) * reduced_strides[d];
        rest /= reduced_sizes[d];
      }
      visit_row(offset, inner, inner_stride);
    }
  }

  // Calls visit(value_offset) for the `count` elements of one output, in row-major order.
  template <typename Visit>
  void for_each_reduced(int64_t base, Visit&& visit) const {
    for_each_reduced_row(base, [&](int64_t offset, int64_t length, int64_t stride) {
      for (int64_t i = 0; i < length; ++i) visit(offset + i * stride);
    });
  }
};

// The sum of one output's elements in double. Each row is summed in kLanes interleaved partial
// sums, added up in a fixed order at the end of the row: the same result every run, and kLanes
// independent chains of additions instead of one (a single double accumulator is bound by the
// add's latency, about 4 cycles per element).
template <typename T>
double reduced_sum(const ReduceLayout& layout, const T* in, int64_t base) {
  constexpr int kLanes = 8;
  double total = 0;
  layout.for_each_reduced_row(base, [&](int64_t offset, int64_t length, int64_t stride) {
    const T* row = in + offset;
    double lanes[kLanes] = {};
    int64_t i = 0;
    if (stride == 1) {
      for (; i + kLanes <= length; i += kLanes) {
        for (int k = 0; k < kLanes; ++k) lanes[k] += double(row[i + k]);
      }
    }
    for (; i < length; ++i) lanes[i % kLanes] += double(row[i * stride]);
    for (int width = kLanes / 2; width > 0; width /= 2) {
      for (int k = 0; k < width; ++k) lanes[k] += lanes[k + width];
    }
    total += lanes[0];
  });
  return total;
}

}  // namespace

void reduce(runtime::ReduceOp op, const Tensor& x, const std::vector<int>& axes, int correction, Tensor& out) {
  using runtime::ReduceOp;
  dispatch_floating(x.dtype(), "reduce", [&]<typename T>() {
    const T* in = x.data<T>();
    T* result = out.data<T>();
    ReduceLayout layout(x.shape(), axes);
    const int64_t count = layout.count;
#pragma omp parallel for if (layout.outputs > 1 && x.numel() > 32768)
    for (int64_t o = 0; o < layout.outputs; ++o) {
      const int64_t base = layout.base_offset(o);
      if (op == ReduceOp::max || op == ReduceOp::min) {
        T best = op == ReduceOp::max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
        bool saw_nan = false;
        layout.for_each_reduced(base, [&](int64_t i) {
          saw_nan |= std::isnan(in[i]);
          best = op == ReduceOp::max ? std::max(best, in[i]) : std::min(best, in[i]);
        });
        result[o] = saw_nan ? std::numeric_limits<T>::quiet_NaN() : best;
        continue;
      }
      const double total = reduced_sum(layout, in, base);
      if (op == ReduceOp::sum) { result[o] = T(total); continue; }
      const double average = total / double(count);
      if (op == ReduceOp::mean) { result[o] = T(average); continue; }
      double squares = 0;  // var: second pass over deviations, numerically stable
      layout.for_each_reduced(base, [&](int64_t i) {
        double deviation = double(in[i]) - average;
        squares += deviation * deviation;
      });
      result[o] = T(squares / double(count - correction));
    }
  });
}

void argmax(const Tensor& x, int axis, Tensor& out) {
  dispatch_floating(x.dtype(), "argmax", [&]<typename T>() {
    const T* in = x.data<T>();
    int32_t* result = out.data<int32_t>();
    ReduceLayout layout(x.shape(), {axis});
    for (int64_t o = 0; o < layout.outputs; ++o) {
      int32_t best_index = 0, index = 0;
      T best = T(0);
      layout.for_each_reduced(layout.base_offset(o), [&](int64_t i) {
        if (index == 0 || in[i] > best) { best = in[i]; best_index = index; }
        ++index;
      });
      result[o] = best_index;
    }
  });
}

}  // namespace dforge::cpu
