// Reductions over groups of elements, the machinery behind reduce, argmax, normalisation and
// softmax on the GPU, over the groups a GroupLayout (runtime/group_layout.h) describes: `outer`
// indices, `lanes` groups side by side in memory for each, `count` elements per group. Which
// block and thread visits which elements is runtime/group_schedule.h. Every combination happens in
// an order fixed by the shape and the GPU's multiprocessor count (warp shuffles in a fixed
// pattern, then warps in index order, then splits in index order): results are bit-identical from
// run to run, and no atomics are used.
#pragma once

#include <algorithm>
#include <climits>
#include <cmath>
#include <vector>

#include "runtime/cuda/common.cuh"
#include "runtime/group_layout.h"
#include "runtime/group_schedule.h"

namespace dforge::cuda {

static_assert(kGroupBlockThreads <= kThreadsPerBlock, "a group block must fit the launch bounds");

// Combines the values of all threads of a block lane by lane; the result for lane p is returned
// to thread p (p < lane_width). Within a warp the rows of one lane are lane_width threads apart,
// so shuffles by 16, 8, ..., lane_width fold them; warps are then folded in index order.
template <typename Policy>
__device__ typename Policy::Value block_reduce(typename Policy::Value value, int lane_width) {
  using Value = typename Policy::Value;
  for (int offset = 16; offset >= lane_width; offset /= 2) {
    value = Policy::combine(value, Policy::shuffle_down(value, offset));
  }
  __shared__ Value warp_totals[kThreadsPerBlock];  // [warp][lane], warps * lane_width <= 256
  const int warp = threadIdx.x / 32, position = threadIdx.x % 32, warps = blockDim.x / 32;
  if (position < lane_width) warp_totals[warp * lane_width + position] = value;
  __syncthreads();
  if (threadIdx.x < lane_width) {
    value = warp_totals[threadIdx.x];
    for (int w = 1; w < warps; ++w) value = Policy::combine(value, warp_totals[w * lane_width + threadIdx.x]);
  }
  return value;
}

// load(offset, base, group, r) gives the value of element r of `group` (at `offset`; `base` is the
// group's first element); finish(group, base, total) consumes a group's total.
template <typename Policy, typename Load, typename Finish>
__global__ void __launch_bounds__(kThreadsPerBlock)
    group_reduce_kernel(GroupLayout layout, GroupGeometry geometry, Load load, Finish finish,
                        typename Policy::Value* partials) {
  const GroupPosition position = locate(layout, geometry, blockIdx.x, int(threadIdx.x));
  typename Policy::Value value = Policy::identity();
  if (position.active) {
    for (int64_t r = position.begin + position.row; r < position.end; r += geometry.rows) {
      value = Policy::combine(
          value, load(position.base + layout.reduced_offset(r), position.base, position.group, r));
    }
  }
  value = block_reduce<Policy>(value, geometry.lane_width);
  if (threadIdx.x < geometry.lane_width && position.active) {
    if (geometry.splits == 1)
      finish(position.group, position.base, value);
    else
      partials[position.group * geometry.splits + position.split] = value;
  }
}

template <typename Policy, typename Finish>
__global__ void group_finish_kernel(GroupLayout layout, int64_t splits,
                                    const typename Policy::Value* partials, Finish finish) {
  for (int64_t group = global_thread_index(); group < layout.groups(); group += global_thread_count()) {
    typename Policy::Value value = partials[group * splits];
    for (int64_t split = 1; split < splits; ++split)
      value = Policy::combine(value, partials[group * splits + split]);
    finish(group, layout.group_base(group), value);
  }
}

// visit(offset, group) for every element of every group.
template <typename Visit>
__global__ void __launch_bounds__(kThreadsPerBlock)
    group_map_kernel(GroupLayout layout, GroupGeometry geometry, Visit visit) {
  const GroupPosition position = locate(layout, geometry, blockIdx.x, int(threadIdx.x));
  if (!position.active) return;
  for (int64_t r = position.begin + position.row; r < position.end; r += geometry.rows) {
    visit(position.base + layout.reduced_offset(r), position.group);
  }
}

template <typename Policy, typename Load, typename Finish>
void reduce_groups(const GroupLayout& layout, const Load& load, const Finish& finish) {
  if (layout.groups() == 0) return;
  const GroupGeometry geometry = plan_group_geometry(layout, multiprocessor_count());
  const int64_t blocks = geometry.blocks(layout);
  Scratch<typename Policy::Value> partials(geometry.splits > 1 ? layout.groups() * geometry.splits : 0);
  group_reduce_kernel<Policy>
      <<<int(blocks), geometry.threads(), 0, stream()>>>(layout, geometry, load, finish, partials.data());
  DFORGE_CUDA_CHECK_LAUNCH();
  if (geometry.splits > 1) {
    launch_for(layout.groups(), group_finish_kernel<Policy, Finish>, layout, geometry.splits,
               static_cast<const typename Policy::Value*>(partials.data()), finish);
  }
}

template <typename Visit>
void map_groups(const GroupLayout& layout, const Visit& visit) {
  if (layout.groups() == 0 || layout.count == 0) return;
  const GroupGeometry geometry = plan_group_geometry(layout, multiprocessor_count());
  const int64_t blocks = geometry.blocks(layout);
  group_map_kernel<<<int(blocks), geometry.threads(), 0, stream()>>>(layout, geometry, visit);
  DFORGE_CUDA_CHECK_LAUNCH();
}

// ---- accumulation policies: identity, combine (associative and commutative) and warp shuffle ----

constexpr unsigned kFullWarp = 0xffffffffu;

struct SumPolicy {
  using Value = double;
  __device__ static Value identity() { return 0.0; }
  __device__ static Value combine(Value a, Value b) { return a + b; }
  __device__ static Value shuffle_down(Value v, int offset) { return __shfl_down_sync(kFullWarp, v, offset); }
};

struct TwoSums {
  double first, second;
};

struct TwoSumsPolicy {
  using Value = TwoSums;
  __device__ static Value identity() { return {0.0, 0.0}; }
  __device__ static Value combine(Value a, Value b) { return {a.first + b.first, a.second + b.second}; }
  __device__ static Value shuffle_down(Value v, int offset) {
    return {__shfl_down_sync(kFullWarp, v.first, offset), __shfl_down_sync(kFullWarp, v.second, offset)};
  }
};

// Max (Largest = true) or min; a NaN anywhere makes the result NaN, as on the CPU.
template <typename T, bool Largest>
struct ExtremePolicy {
  using Value = T;
  __device__ static Value identity() { return Largest ? T(-INFINITY) : T(INFINITY); }
  __device__ static Value combine(Value a, Value b) {
    if (a != a) return a;
    if (b != b) return b;
    return Largest ? (a > b ? a : b) : (a < b ? a : b);
  }
  __device__ static Value shuffle_down(Value v, int offset) { return __shfl_down_sync(kFullWarp, v, offset); }
};

}  // namespace dforge::cuda
