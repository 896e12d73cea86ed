// CUDA fused optimizer updates, mirroring runtime/cpu/optimizer_update.cpp, with the per-element
// math of runtime/optimizer_math.h (the functions the CPU loop calls), so every element gets the
// same operations as on the CPU and as in a group of one.
//
// Multi-tensor apply (the idea of PyTorch's/apex's multi_tensor_apply): a whole group is updated
// by a few launches instead of one launch per parameter (a seggan network has about a hundred).
// Each launch takes up to kMembersPerLaunch members BY VALUE in its parameters (pointers, element
// count, first block): no table is uploaded, so nothing waits on a copy from pageable memory. Each
// member gets ceil(count / kChunk) consecutive blocks; block b finds its member among the launch's
// first-block offsets and updates elements [chunk * kChunk, min(+kChunk, count)) with a
// block-stride loop. Each element is written by exactly one thread (no atomics), and its result
// does not depend on which block computes it. kChunk = 8192 (32 elements per thread) spreads even
// a small network's update over many SMs (a 2.7M-parameter PatchGAN gives 330 blocks).
#include <climits>
#include <vector>

#include "runtime/cuda/common.cuh"
#include "runtime/optimizer_math.h"
#include "runtime/optimizer_update.h"

namespace dforge::cuda {

namespace {

constexpr int64_t kChunk = 8192;
// 48 members of 40 bytes plus their offsets: about 2 KB of kernel parameters, well inside the
// 4 KB every architecture takes.
constexpr int kMembersPerLaunch = 48;

template <typename T>
struct SgdMember {
  T* values;
  const T* gradient;
  T* buffer;  // null when momentum is 0
  int64_t count;
  int32_t first_step;
};

template <typename T>
struct AdamMember {
  T* values;
  const T* gradient;
  T* first;
  T* second;
  int64_t count;
};

template <typename T>
struct SgdScalars {
  T lr, momentum, dampening, weight_decay;
  bool nesterov;
};

// One launch's members; member m owns blocks [first_block[m], first_block[m + 1]).
template <typename Member>
struct MemberBatch {
  Member members[kMembersPerLaunch];
  int32_t first_block[kMembersPerLaunch + 1];
  int32_t size;
};

// The member block `blockIdx.x` works on, and its element range [begin, end). The search is over
// at most kMembersPerLaunch offsets in parameter space, the same for every thread of the block.
template <typename Member>
__device__ __forceinline__ const Member& block_member(const MemberBatch<Member>& batch, int64_t& begin,
                                                      int64_t& end) {
  int member = 0;
  while (member + 1 < batch.size && batch.first_block[member + 1] <= int32_t(blockIdx.x)) ++member;
  const Member& m = batch.members[member];
  begin = int64_t(int32_t(blockIdx.x) - batch.first_block[member]) * kChunk;
  end = begin + kChunk < m.count ? begin + kChunk : m.count;
  return m;
}

template <typename T>
__global__ void __launch_bounds__(kThreadsPerBlock)
    sgd_group_kernel(const __grid_constant__ MemberBatch<SgdMember<T>> batch, SgdScalars<T> s) {
  int64_t begin, end;
  const SgdMember<T>& m = block_member(batch, begin, end);
  const bool first_step = m.first_step != 0;
  for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) {
    math::sgd_element<T>(m.values[i], m.gradient[i], m.buffer ? m.buffer + i : nullptr, s.lr, s.momentum,
                         s.dampening, s.weight_decay, s.nesterov, first_step);
  }
}

template <AdamRule rule, typename T>
__global__ void __launch_bounds__(kThreadsPerBlock)
    adam_group_kernel(const __grid_constant__ MemberBatch<AdamMember<T>> batch, math::AdamScalars<T> scalars) {
  int64_t begin, end;
  const AdamMember<T>& m = block_member(batch, begin, end);
  for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) {
    math::adam_element<rule, T>(m.values[i], m.gradient[i], m.first[i], m.second[i], scalars);
  }
}

// Launches kernel<<<blocks, kThreadsPerBlock>>>(batch, scalars) on stream() for every
// kMembersPerLaunch members in turn (or fewer, where a batch would exceed the grid's limit).
// Members must be non-empty.
template <typename Member, typename Scalars>
void launch_group(const std::vector<Member>& members, void (*kernel)(MemberBatch<Member>, Scalars),
                  const Scalars& scalars) {
  MemberBatch<Member> batch{};
  auto flush = [&] {
    if (batch.size == 0) return;
    kernel<<<unsigned(batch.first_block[batch.size]), kThreadsPerBlock, 0, stream()>>>(batch, scalars);
    DFORGE_CUDA_CHECK_LAUNCH();
    batch.size = 0;
  };
  for (const Member& member : members) {
    const int64_t blocks = (member.count + kChunk - 1) / kChunk;
    DFORGE_CHECK(blocks <= int64_t(INT32_MAX), "optimizer update: a parameter of ", member.count,
                 " elements exceeds one launch's grid");
    if (batch.size == kMembersPerLaunch || int64_t(batch.first_block[batch.size]) + blocks > int64_t(INT32_MAX))
      flush();
    batch.members[batch.size] = member;
    batch.first_block[batch.size + 1] = int32_t(batch.first_block[batch.size] + blocks);
    ++batch.size;
  }
  flush();
}

template <typename T>
T* pointer(const Tensor& tensor) {
  return static_cast<T*>(tensor.raw());
}

}  // namespace

// The dispatcher (runtime/optimizer_update.cpp) has checked that the group is non-empty and that
// every member's tensors are defined, on the GPU, of one floating dtype and of matching shapes.
void sgd_update(const std::vector<SgdTensors>& group, const SgdStep& step) {
  dispatch_floating(group.front().parameter.dtype(), "sgd", [&]<typename T>() {
    std::vector<SgdMember<T>> members;
    members.reserve(group.size());
    for (const SgdTensors& member : group) {
      if (member.parameter.numel() == 0) continue;
      members.push_back({pointer<T>(member.parameter), pointer<T>(member.grad),
                         step.momentum != 0 ? pointer<T>(member.momentum_buffer) : nullptr,
                         member.parameter.numel(), member.first_step ? 1 : 0});
    }
    const SgdScalars<T> scalars{T(step.lr), T(step.momentum), T(step.dampening), T(step.weight_decay),
                                step.nesterov};
    launch_group(members, sgd_group_kernel<T>, scalars);
  });
}

void adam_update(const std::vector<AdamTensors>& group, const AdamStep& step) {
  dispatch_floating(group.front().parameter.dtype(), "adam", [&]<typename T>() {
    std::vector<AdamMember<T>> members;
    members.reserve(group.size());
    for (const AdamTensors& member : group) {
      if (member.parameter.numel() == 0) continue;
      members.push_back({pointer<T>(member.parameter), pointer<T>(member.grad), pointer<T>(member.exp_avg),
                         pointer<T>(member.exp_avg_sq), member.parameter.numel()});
    }
    const math::AdamScalars<T> scalars(step);
    switch (step.rule) {
      case AdamRule::adam:
        launch_group(members, adam_group_kernel<AdamRule::adam, T>, scalars);
        break;
      case AdamRule::radam_rectified:
        launch_group(members, adam_group_kernel<AdamRule::radam_rectified, T>, scalars);
        break;
      case AdamRule::radam_plain:
        launch_group(members, adam_group_kernel<AdamRule::radam_plain, T>, scalars);
        break;
    }
  });
}

}  // namespace dforge::cuda
