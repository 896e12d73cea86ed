// The CUDA backend's device-level entry points (memory, copies, sync). In a build without CUDA
// these are defined in runtime/cuda_stub.cpp and throw a clear error, so callers never need #ifdefs.
#pragma once

#include <cstddef>

#include "runtime/device.h"

namespace dforge::cuda {

void* allocate(size_t bytes);                 // from the caching allocator
void deallocate(void* pointer, size_t bytes);  // back to the caching allocator
void copy(void* destination, Device destination_device, const void* source, Device source_device,
          size_t bytes);
void synchronize();
bool device_present();

}  // namespace dforge::cuda
