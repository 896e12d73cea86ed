// The CUDA backend's device-level entry points (memory, copies, sync, the caching allocator's
// statistics), defined in runtime/cuda/device.cu. In a build without CUDA they are defined in
// runtime/cuda_stub.cpp: allocations and copies throw a clear error, the rest do nothing, so
// callers never need #ifdefs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/device.h"

namespace dforge::cuda {

void* allocate(size_t bytes);                 // from the caching allocator
void deallocate(void* pointer, size_t bytes);  // back to the caching allocator
void copy(void* destination, Device destination_device, const void* source, Device source_device,
          size_t bytes);
void synchronize();
bool device_present();

// What the benchmarks report about the GPU: its name and its nominal memory bandwidth (twice the
// memory clock times the bus width), the denominator of "fraction of peak bandwidth".
struct DeviceInfo {
  std::string name;
  double peak_bytes_per_second = 0;
};
DeviceInfo device_info();  // requires a device

// The caching allocator's counters. Bytes are counted in the allocator's size classes (a request
// is rounded up to the next of four steps per power of two, at least 512 bytes).
struct MemoryStats {
  size_t in_use_bytes = 0;       // held by live tensors
  size_t peak_in_use_bytes = 0;  // the most in_use_bytes has been since start or reset_peak_memory()
  size_t cached_bytes = 0;       // freed by tensors, kept in the free lists for reuse
  size_t reserved_bytes = 0;     // obtained from cudaMalloc and not yet returned (in use + cached)
  int64_t device_allocations = 0;  // cudaMalloc calls so far
  int64_t reused_allocations = 0;  // requests served from a free list
};
MemoryStats memory_stats();
void reset_peak_memory();
// Returns every cached block to the driver (cudaFree); blocks in use are untouched.
void release_cached_memory();
// Debugging aid for tests: while on, every new allocation is filled with 0xFF bytes (NaN for
// floats), so a kernel that leaves part of its output unwritten cannot pass by luck.
void set_poison_allocations(bool poison);

}  // namespace dforge::cuda
