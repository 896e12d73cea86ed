// Large host blocks: the ones glibc cannot keep in its heap. Blocks above its largest mmap threshold
// (32 MiB) come from a fresh mmap() and go back to the OS on free, so each one page-faults again on
// first touch. A training step frees and re-allocates the same large buffers every step (at batch 8
// and 128 pixels, each 64-channel full-resolution activation of the U-Net is exactly 32 MiB:
// measured, 22 such mmaps per seggan step, 8192 page faults each). LargeHostBlocks keeps freed
// blocks, keyed by their size rounded up to 2 MiB, and hands one back to the next allocation of that
// rounded size, as a CUDA caching allocator does. Bounded: beyond `capacity` cached bytes, the
// oldest cached blocks are released. Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <utility>

namespace dforge {

class LargeHostBlocks {
 public:
  static constexpr size_t kThreshold = size_t(16) << 20;  // blocks from this size on are "large"
  static constexpr size_t kGranule = size_t(2) << 20;     // sizes are rounded up to this

  explicit LargeHostBlocks(size_t capacity) : capacity_(capacity) {}
  ~LargeHostBlocks();
  LargeHostBlocks(const LargeHostBlocks&) = delete;
  LargeHostBlocks& operator=(const LargeHostBlocks&) = delete;

  // A page-aligned block of at least `bytes` (a cached one when one of the same rounded size is
  // there, else a fresh mapping). Throws when the system has no memory left.
  void* allocate(size_t bytes);
  // Takes back a block of allocate(bytes): cached, or released when it does not fit.
  void release(void* block, size_t bytes);

  size_t cached_bytes() const;
  size_t cached_blocks() const;
  size_t fresh_mappings() const;  // how many allocations the cache could not serve

  // The process-wide instance: capacity an eighth of physical memory, at most 4 GiB.
  static LargeHostBlocks& instance();

 private:
  static size_t rounded(size_t bytes) { return (bytes + kGranule - 1) / kGranule * kGranule; }

  mutable std::mutex mutex_;
  std::list<std::pair<size_t, void*>> cached_;  // (rounded size, block), oldest first
  size_t cached_bytes_ = 0;
  size_t capacity_;
  size_t fresh_mappings_ = 0;
};

}  // namespace dforge
