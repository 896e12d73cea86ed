// The one generic elementwise kernel: out[i] = function(in_0[i], ..., in_{k-1}[i]) for k = 1..3
// inputs of one type T, as a grid-stride loop. When every operand has the output's shape it runs
// over flat arrays, 16 bytes per load and store where the pointers allow (float4, double2);
// otherwise each operand is read through a BroadcastPlan (runtime/broadcast.h) with stride 0 on
// its broadcast dims, the flat index split into coordinates by multiply-shift dividers
// (runtime/index_divider.h). Each output element is computed by one thread from its own inputs:
// no ordering questions, bit-identical from run to run.
#pragma once

#include <array>

#include "runtime/broadcast.h"
#include "runtime/cuda/common.cuh"

namespace dforge::cuda {

template <typename T, int Arity>
struct Inputs {
  const T* pointer[Arity];
};

// function(values[0], ..., values[Arity - 1]).
template <int Arity, typename Function, typename Value>
__device__ __forceinline__ auto call(const Function& function, const Value (&values)[Arity]) {
  if constexpr (Arity == 1) return function(values[0]);
  if constexpr (Arity == 2) return function(values[0], values[1]);
  if constexpr (Arity == 3) return function(values[0], values[1], values[2]);
}

template <typename T, int Arity, bool Vectorised, typename Function>
__global__ void map_contiguous_kernel(int64_t count, Function function, T* out, Inputs<T, Arity> in) {
  const int64_t first = global_thread_index(), stride = global_thread_count();
  int64_t done = 0;
  if constexpr (Vectorised) {
    constexpr int kSize = Pack<T>::kSize;
    const int64_t packs = count / kSize;
    for (int64_t p = first; p < packs; p += stride) {
      Pack<T> loaded[Arity];
#pragma unroll
      for (int k = 0; k < Arity; ++k) loaded[k] = reinterpret_cast<const Pack<T>*>(in.pointer[k])[p];
      Pack<T> result;
#pragma unroll
      for (int j = 0; j < kSize; ++j) {
        T values[Arity];
#pragma unroll
        for (int k = 0; k < Arity; ++k) values[k] = loaded[k].values[j];
        result.values[j] = call<Arity>(function, values);
      }
      reinterpret_cast<Pack<T>*>(out)[p] = result;
    }
    done = packs * kSize;
  }
  for (int64_t i = done + first; i < count; i += stride) {
    T values[Arity];
#pragma unroll
    for (int k = 0; k < Arity; ++k) values[k] = in.pointer[k][i];
    out[i] = call<Arity>(function, values);
  }
}

template <typename T, int Arity, typename Function>
__global__ void map_broadcast_kernel(int64_t count, Function function, T* out, Inputs<T, Arity> in,
                                     BroadcastPlan plan) {
  for (int64_t i = global_thread_index(); i < count; i += global_thread_count()) {
    int64_t offsets[Arity] = {};
    int64_t rest = i;
    for (int d = plan.ndim - 1; d >= 0; --d) {
      const QuotientRemainder split = plan.sizes[d].divide(rest);
      rest = split.quotient;
#pragma unroll
      for (int k = 0; k < Arity; ++k) offsets[k] += split.remainder * plan.strides[k][d];
    }
    T values[Arity];
#pragma unroll
    for (int k = 0; k < Arity; ++k) values[k] = in.pointer[k][offsets[k]];
    out[i] = call<Arity>(function, values);
  }
}

// out = function(inputs...) with NumPy broadcasting of the inputs to out's shape. `out` may be one
// of the inputs (in-place updates): each element is read before it is written, by the same thread.
template <typename T, int Arity, typename Function>
void map(const Function& function, Tensor& out, const std::array<const Tensor*, Arity>& inputs) {
  const int64_t count = out.numel();
  if (count == 0) return;
  Inputs<T, Arity> in;
  bool same_shapes = true, vectorisable = aligned_16(out.raw());
  for (int k = 0; k < Arity; ++k) {
    in.pointer[k] = inputs[k]->template data<T>();
    same_shapes = same_shapes && inputs[k]->shape() == out.shape();
    vectorisable = vectorisable && aligned_16(in.pointer[k]);
  }
  T* result = out.data<T>();
  if (!same_shapes) {
    Shape shapes[kMaxBroadcastInputs];
    for (int k = 0; k < Arity; ++k) shapes[k] = inputs[k]->shape();
    launch_for(count, map_broadcast_kernel<T, Arity, Function>, count, function, result, in,
               plan_broadcast(out.shape(), shapes, Arity));
  } else if (vectorisable) {
    const int64_t packs = (count + Pack<T>::kSize - 1) / Pack<T>::kSize;
    launch_for(packs, map_contiguous_kernel<T, Arity, true, Function>, count, function, result, in);
  } else {
    launch_for(count, map_contiguous_kernel<T, Arity, false, Function>, count, function, result, in);
  }
}

}  // namespace dforge::cuda
