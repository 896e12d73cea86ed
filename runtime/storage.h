// Storage: one owned block of device or host memory. Tensors share storage through shared_ptr;
// reshape shares it, every other op allocates a new one (no strided views).
#pragma once

#include <cstddef>
#include <memory>

#include "runtime/device.h"

namespace dforge {

class Storage {
 public:
  Storage(size_t bytes, Device device);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() const { return data_; }
  size_t bytes() const { return bytes_; }
  Device device() const { return device_; }

 private:
  void* data_ = nullptr;
  size_t bytes_ = 0;
  Device device_;
};

// Copies `bytes` between any two devices (host<->host, host<->cuda, cuda<->cuda).
void copy_bytes(void* destination, Device destination_device, const void* source, Device source_device,
                size_t bytes);

}  // namespace dforge
