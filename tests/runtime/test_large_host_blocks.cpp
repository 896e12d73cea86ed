// LargeHostBlocks (runtime/large_host_blocks.h): freed large blocks come back to the next allocation
// of the same rounded size, the cache stays within its capacity (oldest released first), and
// Storage uses it for blocks from 16 MiB on.
#include <catch2/catch.hpp>

#include <cstring>

#include "runtime/large_host_blocks.h"
#include "runtime/storage.h"

using namespace dforge;

namespace {
constexpr size_t MiB = size_t(1) << 20;
}

TEST_CASE("LargeHostBlocks reuses a freed block of the same rounded size", "[runtime][memory]") {
  LargeHostBlocks blocks(256 * MiB);
  void* first = blocks.allocate(40 * MiB);
  std::memset(first, 1, 40 * MiB);  // writable, all of it
  blocks.release(first, 40 * MiB);
  CHECK(blocks.cached_bytes() == 40 * MiB);
  void* again = blocks.allocate(39 * MiB + 1);  // rounds up to the same 40 MiB
  CHECK(again == first);
  CHECK(blocks.cached_bytes() == 0);
  CHECK(blocks.fresh_mappings() == 1);
  void* other = blocks.allocate(42 * MiB);  // another size: a fresh mapping
  CHECK(other != first);
  CHECK(blocks.fresh_mappings() == 2);
  blocks.release(again, 40 * MiB);
  blocks.release(other, 42 * MiB);
  CHECK(blocks.cached_blocks() == 2);
  CHECK(blocks.cached_bytes() == 82 * MiB);
}

TEST_CASE("LargeHostBlocks stays within its capacity, releasing the oldest blocks first", "[runtime][memory]") {
  LargeHostBlocks blocks(64 * MiB);
  void* a = blocks.allocate(20 * MiB);
  void* b = blocks.allocate(30 * MiB);
  void* c = blocks.allocate(24 * MiB);
  blocks.release(a, 20 * MiB);
  blocks.release(b, 30 * MiB);
  CHECK(blocks.cached_bytes() == 50 * MiB);
  blocks.release(c, 24 * MiB);  // 74 MiB > 64: the oldest (a) goes
  CHECK(blocks.cached_bytes() == 54 * MiB);
  CHECK(blocks.cached_blocks() == 2);
  CHECK(blocks.allocate(20 * MiB) != a);  // a was released, so this one is fresh
  CHECK(blocks.fresh_mappings() == 4);
  void* huge = blocks.allocate(100 * MiB);
  blocks.release(huge, 100 * MiB);  // larger than the capacity: not kept
  CHECK(blocks.cached_bytes() == 54 * MiB);
}

TEST_CASE("Storage takes blocks from 16 MiB on from the process-wide LargeHostBlocks", "[runtime][memory]") {
  LargeHostBlocks& blocks = LargeHostBlocks::instance();
  void* data = nullptr;
  {
    Storage storage(33 * MiB, Device::cpu());
    data = storage.data();
    std::memset(data, 7, 33 * MiB);
  }
  const size_t fresh = blocks.fresh_mappings();
  Storage again(33 * MiB, Device::cpu());
  CHECK(again.data() == data);
  CHECK(blocks.fresh_mappings() == fresh);
  Storage small(1 * MiB, Device::cpu());  // from malloc, 64-byte aligned
  CHECK(reinterpret_cast<uintptr_t>(small.data()) % 64 == 0);
}
