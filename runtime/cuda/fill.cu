// CUDA fill and cast, mirroring runtime/cpu/fill.cpp: one grid-stride loop each.
#include "runtime/convert_value.h"
#include "runtime/cuda/common.cuh"
#include "runtime/fill.h"

namespace dforge::cuda {

namespace {

template <typename T>
__global__ void fill_kernel(T* out, T value, int64_t count) {
  for (int64_t i = global_thread_index(); i < count; i += global_thread_count()) out[i] = value;
}

template <typename In, typename Out>
__global__ void cast_kernel(const In* in, Out* out, int64_t count) {
  for (int64_t i = global_thread_index(); i < count; i += global_thread_count()) out[i] = convert_value<Out>(in[i]);
}

}  // namespace

void fill(Tensor& tensor, double value) {
  dispatch_any(tensor.dtype(), "fill", [&]<typename T>() {
    launch_for(tensor.numel(), fill_kernel<T>, tensor.data<T>(), convert_value<T>(value), tensor.numel());
  });
}

void cast(const Tensor& x, Tensor& out) {
  dispatch_any(x.dtype(), "cast", [&]<typename In>() {
    dispatch_any(out.dtype(), "cast", [&]<typename Out>() {
      launch_for(x.numel(), cast_kernel<In, Out>, x.data<In>(), out.data<Out>(), x.numel());
    });
  });
}

}  // namespace dforge::cuda
