// CUDA reductions, mirroring runtime/cpu/reduce.cpp: sum, mean, max, min and var over any axis set,
// and argmax along one axis, each through the deterministic group reduction of
// runtime/cuda/group_reduce.cuh (warp shuffles, fixed order, no atomics). Sums are accumulated in
// double as on the CPU. var is one pass over the data: each group's elements are shifted by its
// first element p before summing, and the squared deviations follow as
//   sum (x - mean)^2 = sum (x - p)^2 - (sum (x - p))^2 / n,
// whose cancellation is negligible in double for the f32/f64 data it sees.
#include "runtime/cuda/group_reduce.cuh"
#include "runtime/reduce.h"

namespace dforge::cuda {

namespace {

template <typename T>
struct LoadAsDouble {
  const T* in;
  __device__ double operator()(int64_t offset, int64_t, int64_t, int64_t) const { return double(in[offset]); }
};

template <typename T>
struct LoadValue {
  const T* in;
  __device__ T operator()(int64_t offset, int64_t, int64_t, int64_t) const { return in[offset]; }
};

// (x - p, (x - p)^2) with p the group's first element.
template <typename T>
struct LoadShifted {
  const T* in;
  __device__ TwoSums operator()(int64_t offset, int64_t base, int64_t, int64_t) const {
    const double deviation = double(in[offset]) - double(in[base]);
    return {deviation, deviation * deviation};
  }
};

template <typename T>
struct FinishSum {
  T* out;
  double divisor;  // 1 for sum, the group size for mean
  __device__ void operator()(int64_t group, int64_t, double total) const { out[group] = T(total / divisor); }
};

template <typename T>
struct FinishValue {
  T* out;
  __device__ void operator()(int64_t group, int64_t, T value) const { out[group] = value; }
};

template <typename T>
struct FinishVariance {
  T* out;
  double count, divisor;  // divisor = count - correction
  __device__ void operator()(int64_t group, int64_t, TwoSums sums) const {
    const double squares = sums.second - sums.first * (sums.first / count);
    // Clamp rounding below zero, but keep a NaN (from a NaN or an infinity in the group: inf - inf):
    // `squares > 0 ? squares : 0` would turn it into 0 where the CPU gives NaN.
    out[group] = T((squares < 0 ? 0.0 : squares) / divisor);
  }
};

// Argmax: the largest value, the lowest index among equals. The CPU scan keeps element 0 when it
// is NaN (nothing compares greater) and otherwise never picks a NaN; the same rule here: a NaN at
// index 0 wins, any other NaN is skipped.
template <typename T>
struct IndexedValue {
  T value;
  int64_t index;  // -1: no element yet
};

template <typename T>
struct ArgmaxPolicy {
  using Value = IndexedValue<T>;
  __device__ static Value identity() { return {T(0), -1}; }
  __device__ static Value combine(Value a, Value b) {
    if (a.index < 0) return b;
    if (b.index < 0) return a;
    if (a.index == 0 && a.value != a.value) return a;
    if (b.index == 0 && b.value != b.value) return b;
    if (a.value != b.value) return a.value > b.value ? a : b;
    return a.index < b.index ? a : b;
  }
  __device__ static Value shuffle_down(Value v, int offset) {
    return {__shfl_down_sync(kFullWarp, v.value, offset), __shfl_down_sync(kFullWarp, v.index, offset)};
  }
};

template <typename T>
struct LoadIndexed {
  const T* in;
  __device__ IndexedValue<T> operator()(int64_t offset, int64_t, int64_t, int64_t r) const {
    const T value = in[offset];
    if (value != value && r != 0) return {T(0), -1};
    return {value, r};
  }
};

template <typename T>
struct FinishIndex {
  int32_t* out;
  __device__ void operator()(int64_t group, int64_t, IndexedValue<T> best) const {
    out[group] = int32_t(best.index < 0 ? 0 : best.index);
  }
};

}  // namespace

void reduce(runtime::ReduceOp op, const Tensor& x, const std::vector<int>& axes, int correction,
            Tensor& out) {
  using runtime::ReduceOp;
  dispatch_floating(x.dtype(), "reduce", [&]<typename T>() {
    const GroupLayout layout = make_group_layout(x.shape(), axes, "reduce");
    const T* in = x.data<T>();
    T* result = out.data<T>();
    switch (op) {
      case ReduceOp::sum:
        reduce_groups<SumPolicy>(layout, LoadAsDouble<T>{in}, FinishSum<T>{result, 1.0});
        break;
      case ReduceOp::mean:
        reduce_groups<SumPolicy>(layout, LoadAsDouble<T>{in}, FinishSum<T>{result, double(layout.count)});
        break;
      case ReduceOp::max:
        reduce_groups<ExtremePolicy<T, true>>(layout, LoadValue<T>{in}, FinishValue<T>{result});
        break;
      case ReduceOp::min:
        reduce_groups<ExtremePolicy<T, false>>(layout, LoadValue<T>{in}, FinishValue<T>{result});
        break;
      case ReduceOp::var:
        reduce_groups<TwoSumsPolicy>(
            layout, LoadShifted<T>{in},
            FinishVariance<T>{result, double(layout.count), double(layout.count - correction)});
        break;
    }
  });
}

void argmax(const Tensor& x, int axis, Tensor& out) {
  dispatch_floating(x.dtype(), "argmax", [&]<typename T>() {
    const GroupLayout layout = make_group_layout(x.shape(), {axis}, "argmax");
    reduce_groups<ArgmaxPolicy<T>>(layout, LoadIndexed<T>{x.data<T>()}, FinishIndex<T>{out.data<int32_t>()});
  });
}

}  // namespace dforge::cuda
