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

}  // namespace dforge::cuda

#endif
