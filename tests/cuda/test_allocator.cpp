// The caching allocator: freed blocks are reused without cudaMalloc, sizes round to their class,
// the statistics follow every allocation and release.
#include <catch2/catch.hpp>

#include "runtime/cuda_backend.h"
#include "runtime/tensor.h"

using namespace dforge;

TEST_CASE("cuda caching allocator reuses freed blocks and keeps statistics", "[cuda][allocator]") {
  cuda::synchronize();
  cuda::release_cached_memory();
  const cuda::MemoryStats start = cuda::memory_stats();
  CHECK(start.cached_bytes == 0);
  void* first_block = nullptr;
  {
    Tensor a = Tensor::empty({1000}, DType::f32, Device::cuda());  // 4000 bytes -> class 4096
    first_block = a.raw();
    const cuda::MemoryStats held = cuda::memory_stats();
    CHECK(held.in_use_bytes == start.in_use_bytes + 4096);
    CHECK(held.device_allocations == start.device_allocations + 1);
    CHECK(held.peak_in_use_bytes >= held.in_use_bytes);
  }
  const cuda::MemoryStats freed = cuda::memory_stats();
  CHECK(freed.in_use_bytes == start.in_use_bytes);
  CHECK(freed.cached_bytes == 4096);
  {
    // 3900 bytes round to the same class: the cached block comes back, no cudaMalloc.
    Tensor b = Tensor::empty({975}, DType::f32, Device::cuda());
    CHECK(b.raw() == first_block);
    const cuda::MemoryStats reused = cuda::memory_stats();
    CHECK(reused.device_allocations == start.device_allocations + 1);
    CHECK(reused.reused_allocations == start.reused_allocations + 1);
    CHECK(reused.cached_bytes == 0);
  }
  {
    Tensor c = Tensor::empty({3000}, DType::f32, Device::cuda());  // another class: a new block
    CHECK(c.raw() != first_block);
    CHECK(cuda::memory_stats().device_allocations == start.device_allocations + 2);
  }
  cuda::reset_peak_memory();
  CHECK(cuda::memory_stats().peak_in_use_bytes == cuda::memory_stats().in_use_bytes);
  cuda::release_cached_memory();
  const cuda::MemoryStats released = cuda::memory_stats();
  CHECK(released.cached_bytes == 0);
  CHECK(released.reserved_bytes == released.in_use_bytes);
}

TEST_CASE("cuda allocator: a training-like loop stops calling cudaMalloc", "[cuda][allocator]") {
  auto step = [] {
    Tensor a = Tensor::zeros({257, 33}, DType::f32, Device::cuda());
    Tensor b = Tensor::zeros({4096}, DType::f64, Device::cuda());
    Tensor c = a.clone();
    return a.numel() + b.numel() + c.numel();
  };
  step();
  const int64_t after_first = cuda::memory_stats().device_allocations;
  for (int i = 0; i < 5; ++i) step();
  CHECK(cuda::memory_stats().device_allocations == after_first);
}

TEST_CASE("cuda copies round-trip through the device", "[cuda][allocator]") {
  const Tensor host = Tensor::from_values({1, 2, 3, 4, 5}, {5});
  const Tensor device = host.to(Device::cuda());
  CHECK(device.device().is_cuda());
  CHECK(device.clone().to(Device::cpu()).to_vector() == host.to_vector());
  CHECK(Tensor::zeros({0}, DType::f32, Device::cuda()).to_vector().empty());
}
