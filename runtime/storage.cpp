#include "runtime/storage.h"

#include <cstdlib>
#include <cstring>

#include "runtime/cuda_backend.h"
#include "runtime/error.h"

namespace dforge {

namespace {
constexpr size_t kHostAlignment = 64;  // one cache line; lets the compiler use aligned vector loads

void* host_allocate(size_t bytes) {
  size_t rounded = (bytes + kHostAlignment - 1) / kHostAlignment * kHostAlignment;
  void* pointer = std::aligned_alloc(kHostAlignment, rounded == 0 ? kHostAlignment : rounded);
  DFORGE_CHECK(pointer != nullptr, "out of host memory allocating ", bytes, " bytes");
  return pointer;
}
}  // namespace

Storage::Storage(size_t bytes, Device device) : bytes_(bytes), device_(device) {
  data_ = device.is_cpu() ? host_allocate(bytes) : cuda::allocate(bytes);
}

Storage::~Storage() {
  if (device_.is_cpu()) {
    std::free(data_);
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
