#include "runtime/large_host_blocks.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

#include "runtime/error.h"

namespace dforge {

LargeHostBlocks::~LargeHostBlocks() {
  for (const auto& [size, block] : cached_) munmap(block, size);
}

void* LargeHostBlocks::allocate(size_t bytes) {
  const size_t size = rounded(bytes);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = cached_.begin(); it != cached_.end(); ++it) {
      if (it->first != size) continue;
      void* block = it->second;
      cached_bytes_ -= size;
      cached_.erase(it);
      return block;
    }
    ++fresh_mappings_;
  }
  void* block = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  DFORGE_CHECK(block != MAP_FAILED, "out of host memory allocating ", bytes, " bytes");
  // Transparent huge pages where the system allows them: 512x fewer faults on first touch.
  madvise(block, size, MADV_HUGEPAGE);
  return block;
}

void LargeHostBlocks::release(void* block, size_t bytes) {
  const size_t size = rounded(bytes);
  std::list<std::pair<size_t, void*>> evicted;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (size <= capacity_) {
      while (cached_bytes_ + size > capacity_) {  // make room: release the oldest
        cached_bytes_ -= cached_.front().first;
        evicted.splice(evicted.end(), cached_, cached_.begin());
      }
      cached_.emplace_back(size, block);
      cached_bytes_ += size;
      block = nullptr;
    }
  }
  for (const auto& [old_size, old_block] : evicted) munmap(old_block, old_size);
  if (block != nullptr) munmap(block, size);
}

size_t LargeHostBlocks::cached_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cached_bytes_;
}

size_t LargeHostBlocks::cached_blocks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cached_.size();
}

size_t LargeHostBlocks::fresh_mappings() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fresh_mappings_;
}

LargeHostBlocks& LargeHostBlocks::instance() {
  // Never destroyed: tensors in static objects may be freed after it would have been.
  static LargeHostBlocks* blocks = [] {
    const size_t physical = size_t(sysconf(_SC_PHYS_PAGES)) * size_t(sysconf(_SC_PAGESIZE));
    return new LargeHostBlocks(std::min(physical / 8, size_t(4) << 30));
  }();
  return *blocks;
}

}  // namespace dforge
