// PeakMemory: the most memory a stretch of work held, measured as bench/seggan_torch.py measures
// PyTorch, so the two figures compare. CUDA: the caching allocator's peak of bytes held by live
// tensors since reset() (torch.cuda.max_memory_allocated counts the same way: weights and
// optimizer state included). CPU: the growth of the process's resident set, the high-water mark
// VmHWM after the work minus VmRSS at reset(), which writes 5 to /proc/self/clear_refs to start a
// new high-water mark (Linux only; anything else throws dforge::Error).
#pragma once

#include <cstddef>

#include "runtime/device.h"

namespace dforge::apps {

class PeakMemory {
 public:
  explicit PeakMemory(Device device) : device_(device) {}
  void reset();               // begins a stretch
  size_t peak_bytes() const;  // since the last reset()

 private:
  Device device_;
  size_t start_bytes_ = 0;
};

}  // namespace dforge::apps
