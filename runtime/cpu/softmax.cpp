// CPU softmax and log_softmax. The input is seen as [outer, axis, inner]; a lane is one (outer,
// inner) pair, reduced over the axis. Lanes are processed in blocks of up to kBlock neighbours so
// every pass reads contiguous memory even when the axis is not the last one (the channel axis of
// NCHW). Each lane's sum is accumulated in double, in axis order, by one thread: deterministic.
#include "runtime/softmax.h"

#include <algorithm>
#include <cmath>

namespace dforge::cpu {

namespace {
constexpr int64_t kBlock = 256;                // lanes handled together
constexpr int64_t kParallelThreshold = 32768;  // elements

// Writes softmax (Log = false) or log_softmax (Log = true) of `x` along `axis` into `out`.
template <typename T, bool Log>
void softmax_lanes(const Tensor& x, int axis, Tensor& out) {
  const Shape& shape = x.shape();
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= shape[d];
  for (int d = axis + 1; d < int(shape.size()); ++d) inner *= shape[d];
  const int64_t size = shape[axis];
  const int64_t blocks_per_outer = (inner + kBlock - 1) / kBlock;
  const T* in = x.data<T>();
  T* result = out.data<T>();
#pragma omp parallel for if (x.numel() > kParallelThreshold)
  for (int64_t item = 0; item < outer * blocks_per_outer; ++item) {
    const int64_t o = item / blocks_per_outer;
    const int64_t first = (item % blocks_per_outer) * kBlock;
    const int64_t lanes = std::min(kBlock, inner - first);
    const T* source = in + o * size * inner + first;
    T* target = result + o * size * inner + first;
    T maximum[kBlock];
    double total[kBlock];
    for (int64_t i = 0; i < lanes; ++i) { maximum[i] = source[i]; total[i] = 0.0; }
    for (int64_t j = 1; j < size; ++j) {
      for (int64_t i = 0; i < lanes; ++i) maximum[i] = std::max(maximum[i], source[j * inner + i]);
    }
    for (int64_t j = 0; j < size; ++j) {
      for (int64_t i = 0; i < lanes; ++i) total[i] += double(std::exp(source[j * inner + i] - maximum[i]));
    }
    for (int64_t j = 0; j < size; ++j) {
      for (int64_t i = 0; i < lanes; ++i) {
        const T shifted = source[j * inner + i] - maximum[i];
        if constexpr (Log) target[j * inner + i] = shifted - T(std::log(total[i]));
        else target[j * inner + i] = T(double(std::exp(shifted)) / total[i]);
      }
    }
  }
}
}  // namespace

void softmax(const Tensor& x, int axis, Tensor& out) {
  dispatch_floating(x.dtype(), "softmax", [&]<typename T>() { softmax_lanes<T, false>(x, axis, out); });
}

void log_softmax(const Tensor& x, int axis, Tensor& out) {
  dispatch_floating(x.dtype(), "log_softmax", [&]<typename T>() { softmax_lanes<T, true>(x, axis, out); });
}

}  // namespace dforge::cpu
