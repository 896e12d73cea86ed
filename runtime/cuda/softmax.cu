// CUDA softmax and log_softmax, mirroring runtime/cpu/softmax.cpp. The lanes along `axis` are the
// groups of runtime/cuda/group_reduce.cuh. Two passes instead of the CPU's three: the maximum m
// and the sum s = sum_j exp(x_j - m) are found together ("online softmax"): a running pair (m, s)
// absorbs a larger value m' by rescaling s <- s exp(m - m') (in double). The write pass is the
// CPU's formula:
//   softmax_i = exp(x_i - m) / s,   log_softmax_i = (x_i - m) - log(s).
#include <cmath>

#include "runtime/cuda/group_reduce.cuh"
#include "runtime/softmax.h"

namespace dforge::cuda {

namespace {

template <typename T>
struct MaximumAndSum {
  T maximum;
  double total;  // sum of exp(x - maximum) over the values absorbed so far
};

template <typename T>
struct OnlineSoftmaxPolicy {
  using Value = MaximumAndSum<T>;
  __device__ static Value identity() { return {T(-INFINITY), 0.0}; }
  // exp(from - to) as a rescaling factor; 1 when equal, so -inf - -inf gives 1, not NaN (the
  // identity and masked -inf lanes). Not for +inf: the CPU's sum exp(x - max) is NaN when the max is
  // +inf (exp(inf - inf)), so the whole lane is NaN there and must be here too.
  __device__ static double rescale(T from, T to) {
    return from == to && from != T(INFINITY) ? 1.0 : exp(double(from) - double(to));
  }
  __device__ static Value combine(Value a, Value b) {
    const T maximum = a.maximum > b.maximum ? a.maximum : b.maximum;
    return {maximum, a.total * rescale(a.maximum, maximum) + b.total * rescale(b.maximum, maximum)};
  }
  __device__ static Value shuffle_down(Value v, int offset) {
    return {__shfl_down_sync(kFullWarp, v.maximum, offset), __shfl_down_sync(kFullWarp, v.total, offset)};
  }
};

template <typename T>
struct LoadSingle {
  const T* in;
  __device__ MaximumAndSum<T> operator()(int64_t offset, int64_t, int64_t, int64_t) const {
    return {in[offset], 1.0};
  }
};

template <typename T>
struct FinishLane {
  T* maximum;
  double* total;
  __device__ void operator()(int64_t group, int64_t, MaximumAndSum<T> value) const {
    maximum[group] = value.maximum;
    total[group] = value.total;
  }
};

template <typename T, bool Log>
struct WriteSoftmax {
  const T* in;
  const T* maximum;
  const double* total;
  T* out;
  __device__ void operator()(int64_t offset, int64_t group) const {
    const T shifted = in[offset] - maximum[group];
    if constexpr (Log)
      out[offset] = shifted - T(log(total[group]));
    else
      out[offset] = T(double(exp(shifted)) / total[group]);
  }
};

template <typename T, bool Log>
void softmax_lanes(const Tensor& x, int axis, Tensor& out) {
  const GroupLayout layout = make_group_layout(x.shape(), {axis}, Log ? "log_softmax" : "softmax");
  Scratch<T> maximum(layout.groups());
  Scratch<double> total(layout.groups());
  reduce_groups<OnlineSoftmaxPolicy<T>>(layout, LoadSingle<T>{x.data<T>()},
                                        FinishLane<T>{maximum.data(), total.data()});
  map_groups(layout, WriteSoftmax<T, Log>{x.data<T>(), maximum.data(), total.data(), out.data<T>()});
}

}  // namespace

void softmax(const Tensor& x, int axis, Tensor& out) {
  dispatch_floating(x.dtype(), "softmax", [&]<typename T>() { softmax_lanes<T, false>(x, axis, out); });
}

void log_softmax(const Tensor& x, int axis, Tensor& out) {
  dispatch_floating(x.dtype(), "log_softmax", [&]<typename T>() { softmax_lanes<T, true>(x, axis, out); });
}

}  // namespace dforge::cuda
