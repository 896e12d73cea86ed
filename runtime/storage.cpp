#include "runtime/storage.h"

#include <malloc.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "runtime/cuda_backend.h"
#include "runtime/error.h"
#include "runtime/large_host_blocks.h"

namespace dforge {

namespace {
constexpr size_t kHostAlignment = 64;  // one cache line; lets the compiler use aligned vector loads

// glibc serves blocks above M_MMAP_THRESHOLD (128 KiB at start) with fresh mmap()s and gives free
// memory at the top of the heap back to the OS above M_TRIM_THRESHOLD. A training step allocates
// and frees the same multi-MB activations and gradients over and over, so with the defaults every
// one of them page-faults again on first touch (a 4 MiB block: 1024 faults, about 2 ms). Keeping
// blocks up to 32 MiB (glibc's maximum threshold) in the heap and (almost) never trimming it makes
// freed blocks reusable at once; the cost is that the process keeps its peak heap, which is what a
// caching allocator does too.
void keep_freed_blocks_in_the_heap() {
  static const bool configured = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);  // trim only above 2 GiB of free heap top
    return true;
  }();
  (void)configured;
}

// Blocks from 16 MiB on come from LargeHostBlocks (runtime/large_host_blocks.h), which keeps them
// for reuse. Smaller ones are aligned blocks from plain malloc: glibc 2.36's aligned_alloc (memalign) did not reuse a freed
// 4 MiB block (every allocation page-faulted again, measured) where malloc does. The block is
// over-allocated by kHostAlignment; the pointer malloc returned is stored just before the aligned
// address, where host_free finds it (malloc's 16-byte alignment leaves at least 16 bytes there).
void* host_allocate(size_t bytes) {
  if (bytes >= LargeHostBlocks::kThreshold) return LargeHostBlocks::instance().allocate(bytes);
  keep_freed_blocks_in_the_heap();
  size_t rounded = (bytes + kHostAlignment - 1) / kHostAlignment * kHostAlignment;
  void* block = std::malloc(rounded + kHostAlignment);
  DFORGE_CHECK(block != nullptr, "out of host memory allocating ", bytes, " bytes");
  const uintptr_t aligned = (reinterpret_cast<uintptr_t>(block) + kHostAlignment) & ~uintptr_t(kHostAlignment - 1);
  void* pointer = reinterpret_cast<void*>(aligned);
  static_cast<void**>(pointer)[-1] = block;
  return pointer;
}

void host_free(void* pointer, size_t bytes) {
  if (pointer == nullptr) return;
  if (bytes >= LargeHostBlocks::kThreshold) {
    LargeHostBlocks::instance().release(pointer, bytes);
  } else {
    std::free(static_cast<void**>(pointer)[-1]);
  }
}
}  // namespace

Storage::Storage(size_t bytes, Device device) : bytes_(bytes), device_(device) {
  data_ = device.is_cpu() ? host_allocate(bytes) : cuda::allocate(bytes);
}

Storage::~Storage() {
  if (device_.is_cpu()) {
    host_free(data_, bytes_);
  } else {
    cuda::deallocate(data_, bytes_);
  }
}

void copy_bytes(void* destination, Device destination_device, const void* source, Device source_device,
                size_t bytes) {
  if (bytes == 0) return;
  if (destination_device.is_cpu() && source_device.is_cpu()) {
    std::memcpy(destination, source, bytes);
  } else {
    cuda::copy(destination, destination_device, source, source_device, bytes);
  }
}

}  // namespace dforge
