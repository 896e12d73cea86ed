// Definitions of the CUDA entry points for a build without the CUDA backend.
#ifndef DFORGE_WITH_CUDA

#include "runtime/cuda_backend.h"
#include "runtime/error.h"

namespace dforge::cuda {

namespace {
[[noreturn]] void not_built() {
  throw Error("this defectforge was built without CUDA (rebuild with nvcc installed, or -DDFORGE_CUDA=ON)");
}
}  // namespace

void* allocate(size_t) { not_built(); }
void deallocate(void*, size_t) {}
void copy(void*, Device, const void*, Device, size_t) { not_built(); }
void synchronize() {}
bool device_present() { return false; }
DeviceInfo device_info() { not_built(); }
MemoryStats memory_stats() { return {}; }
void reset_peak_memory() {}
void release_cached_memory() {}
void set_poison_allocations(bool) {}

}  // namespace dforge::cuda

#endif
