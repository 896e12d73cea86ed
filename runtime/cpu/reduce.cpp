// CPU reductions. Each output element is reduced by one thread in a fixed order with a double
// accumulator, so results are deterministic and accurate: this is the reference the CUDA
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
        reduced_sizes.push_back(shape[d]);
        reduced_strides.push_back(strides[d]);
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

  // Calls visit(value_offset) for the `count` elements of one output, in row-major order.
  template <typename Visit>
  void for_each_reduced(int64_t base, Visit&& visit) const {
    if (count == 0) return;  // an empty group (sum over an empty axis is 0)
    const int last = int(reduced_sizes.size()) - 1;
    const int64_t inner = reduced_sizes[last], inner_stride = reduced_strides[last];
    for (int64_t outer = 0; outer < count / inner; ++outer) {
      int64_t offset = base, rest = outer;
      for (int d = last - 1; d >= 0; --d) {
        offset += (rest % reduced_sizes[d]) * reduced_strides[d];
        rest /= reduced_sizes[d];
      }
      for (int64_t i = 0; i < inner; ++i) visit(offset + i * inner_stride);
    }
  }
};

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
      double total = 0;
      layout.for_each_reduced(base, [&](int64_t i) { total += double(in[i]); });
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
