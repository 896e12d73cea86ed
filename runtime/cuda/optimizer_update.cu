// CUDA fused optimizer updates, mirroring runtime/cpu/optimizer_update.cpp, with the per-element
// math of runtime/optimizer_math.h (the functions the CPU loop calls), so every element gets the
// same operations as on the CPU and as in a group of one.
//
// Multi-tensor apply (the idea of PyTorch's/apex's multi_tensor_apply): a whole group is updated
// by ONE kernel launch instead of one launch per parameter (a seggan network has hundreds). The
// host builds
//   - a member table: each non-empty member's pointers and element count, and
//   - a task list: one entry (member, chunk) per kChunk-element chunk of every member,
// uploads both to stream-ordered scratch from the caching allocator (upload(), common.cuh), and
// launches one block per task; block b updates elements [chunk * kChunk, min(+kChunk, count)) of
// its member with a block-stride loop. Each element is written by exactly one thread (no
// atomics), and the result of an element does not depend on which block or thread computes it.
// kChunk = 8192 (32 elements per thread) keeps even a small network's update spread over many
// SMs (a 2.7M-parameter PatchGAN gives 330 blocks; 65536 would give 42) while keeping the task
// list small (8 bytes a task: 53 KB for 54M parameters).
#include <climits>
#include <vector>

#include "runtime/cuda/common.cuh"
#include "runtime/optimizer_math.h"
#include "runtime/optimizer_update.h"

namespace dforge::cuda {

namespace {

constexpr int64_t kChunk = 8192;

// One block's work: chunk `chunk` of member `member`.
struct ChunkTask {
  int32_t member;
  int32_t chunk;
};

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

// The element range [begin, end) of a task's chunk.
__device__ __forceinline__ void chunk_range(const ChunkTask& task, int64_t count, int64_t& begin, int64_t& end) {
  begin = int64_t(task.chunk) * kChunk;
  end = begin + kChunk < count ? begin + kChunk : count;
}

template <typename T>
__global__ void __launch_bounds__(kThreadsPerBlock)
    sgd_group_kernel(const SgdMember<T>* members, const ChunkTask* tasks, SgdScalars<T> s) {
  const ChunkTask task = tasks[blockIdx.x];
  const SgdMember<T> m = members[task.member];
  int64_t begin, end;
  chunk_range(task, m.count, begin, end);
  const bool first_step = m.first_step != 0;
  for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) {
    math::sgd_element<T>(m.values[i], m.gradient[i], m.buffer ? m.buffer + i : nullptr, s.lr, s.momentum,
                         s.dampening, s.weight_decay, s.nesterov, first_step);
  }
}

template <AdamRule rule, typename T>
__global__ void __launch_bounds__(kThreadsPerBlock)
    adam_group_kernel(const AdamMember<T>* members, const ChunkTask* tasks, math::AdamScalars<T> scalars) {
  const ChunkTask task = tasks[blockIdx.x];
  const AdamMember<T> m = members[task.member];
  int64_t begin, end;
  chunk_range(task, m.count, begin, end);
  for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) {
    math::adam_element<rule, T>(m.values[i], m.gradient[i], m.first[i], m.second[i], scalars);
  }
}

// The task list for members of these element counts (empty members get no task).
std::vector<ChunkTask> chunk_tasks(const std::vector<int64_t>& counts) {
  DFORGE_CHECK(counts.size() <= size_t(INT32_MAX), "optimizer update: too many parameters in one group (",
               counts.size(), ")");
  std::vector<ChunkTask> tasks;
  int64_t total = 0;
  for (int64_t count : counts) total += (count + kChunk - 1) / kChunk;
  DFORGE_CHECK(total <= int64_t(INT32_MAX), "optimizer update: ", total, " chunks of ", kChunk,
               " elements exceed one launch's grid");
  tasks.reserve(size_t(total));
  for (size_t member = 0; member < counts.size(); ++member) {
    const int64_t chunks = (counts[member] + kChunk - 1) / kChunk;
    for (int64_t chunk = 0; chunk < chunks; ++chunk) tasks.push_back({int32_t(member), int32_t(chunk)});
  }
  return tasks;
}

// Uploads the member table and the task list and launches kernel<<<tasks, kThreadsPerBlock>>>
// (members, tasks, scalars) on stream(); nothing when there is no element to update. The host
// vectors are pageable memory, which cudaMemcpyAsync stages before it returns, so they may die
// right after. The scratch buffers go back to the cache on return, which is safe: any later user
// is ordered after this kernel on the same stream.
template <typename Member, typename Scalars>
void launch_group(const std::vector<Member>& members, void (*kernel)(const Member*, const ChunkTask*, Scalars),
                  const Scalars& scalars) {
  std::vector<int64_t> counts;
  counts.reserve(members.size());
  for (const Member& member : members) counts.push_back(member.count);
  const std::vector<ChunkTask> tasks = chunk_tasks(counts);
  if (tasks.empty()) return;
  const Scratch<Member> device_members = upload(members.data(), int64_t(members.size()));
  const Scratch<ChunkTask> device_tasks = upload(tasks.data(), int64_t(tasks.size()));
  kernel<<<unsigned(tasks.size()), kThreadsPerBlock, 0, stream()>>>(device_members.data(), device_tasks.data(),
                                                                     scalars);
  DFORGE_CUDA_CHECK_LAUNCH();
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
