// The caching allocator: freed blocks are reused without cudaMalloc, sizes round to their class,
// the statistics follow every allocation and release.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include "runtime/cuda_backend.h"
#include "runtime/elementwise.h"
#include "runtime/fill.h"
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

TEST_CASE("cuda allocator rounds requests to their size class", "[cuda][allocator]") {
  // 512 at least, then four classes per power of two: 2^e (1 + q / 4).
  const std::vector<std::pair<int64_t, size_t>> cases = {
      {1, 512},     {512, 512},   {513, 640},   {640, 640},
      {641, 768},   {1024, 1024}, {1025, 1280}, {5000, 5120}, {(1 << 20) + 1, 1310720}};
  for (const auto& [bytes, block] : cases) {
    const size_t before = cuda::memory_stats().in_use_bytes;
    const Tensor tensor = Tensor::empty({bytes}, DType::u8, Device::cuda());
    INFO(bytes << " bytes");
    CHECK(cuda::memory_stats().in_use_bytes == before + block);
  }
}

TEST_CASE("cuda poisoned allocations read as NaN, reused blocks included", "[cuda][allocator]") {
  cuda::set_poison_allocations(true);  // tests/cuda/main.cpp turns it on for the whole suite too
  void* block = nullptr;
  {
    Tensor fresh = Tensor::empty({777}, DType::f32, Device::cuda());
    block = fresh.raw();
    for (double value : fresh.to_vector()) REQUIRE(std::isnan(value));
    runtime::fill(fresh, 1.0);
  }
  Tensor reused = Tensor::empty({777}, DType::f32, Device::cuda());
  CHECK(reused.raw() == block);
  for (double value : reused.to_vector()) REQUIRE(std::isnan(value));
  const Tensor labels = Tensor::empty({5}, DType::i32, Device::cuda());
  CHECK(labels.to_vector() == std::vector<double>(5, -1.0));
}

// A failed cudaMalloc releases the cache and retries once; when that fails too, the error names
// the request, the cache is empty, and the allocator (and the CUDA context) keep working.
TEST_CASE("cuda allocator: out of memory releases the cache and fails cleanly", "[cuda][allocator]") {
  { Tensor cached = Tensor::zeros({1 << 20}, DType::f32, Device::cuda()); }
  REQUIRE(cuda::memory_stats().cached_bytes > 0);
  const int64_t impossible = int64_t(1) << 50;  // 1 PiB
  CHECK_THROWS_WITH(Tensor::empty({impossible}, DType::u8, Device::cuda()),
                    Catch::Contains("CUDA out of memory allocating 1125899906842624 bytes"));
  const cuda::MemoryStats after = cuda::memory_stats();
  CHECK(after.cached_bytes == 0);
  CHECK(after.reserved_bytes == after.in_use_bytes);
  const Tensor ok = Tensor::full({1000}, 2.5, DType::f32, Device::cuda());
  CHECK(ok.to_vector() == std::vector<double>(1000, 2.5));
}

// Reuse without synchronisation: a block freed while kernels that read and write it are still
// queued goes to the next request of its class, whose writes are queued behind them on the one
// stream, so neither the old reader nor the new owner sees the other's data.
TEST_CASE("cuda allocator: blocks freed with work in flight are reused in stream order", "[cuda][allocator]") {
  const int64_t count = int64_t(1) << 22;  // 16 MiB of f32: the kernels take a while
  const Tensor host = Tensor::full({count}, 1.5);
  const Tensor x = host.to(Device::cuda());
  Tensor result;
  void* block = nullptr;
  {
    Tensor temporary = runtime::affine(x, 2.0, 1.0);  // 4
    for (int i = 0; i < 20; ++i) temporary = runtime::affine(runtime::affine(temporary, 1.0, 1.0), 1.0, -1.0);
    block = temporary.raw();
    result = runtime::affine(temporary, 3.0, 0.0);  // 12, queued behind everything above
  }
  const Tensor reused = Tensor::full({count}, -7.0, DType::f32, Device::cuda());
  CHECK(reused.raw() == block);
  const std::vector<double> values = result.to_vector(), overwritten = reused.to_vector();
  CHECK(std::all_of(values.begin(), values.end(), [](double v) { return v == 12.0; }));
  CHECK(std::all_of(overwritten.begin(), overwritten.end(), [](double v) { return v == -7.0; }));
}

// Tensors are freed from data-loader threads while the main thread allocates: the free lists and
// counters are guarded by one mutex, so every byte is accounted for at the end.
TEST_CASE("cuda allocator is safe to use from several threads", "[cuda][allocator]") {
  cuda::synchronize();
  const cuda::MemoryStats start = cuda::memory_stats();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    std::vector<Tensor> owned;
    for (int i = 0; i < 64; ++i)
      owned.push_back(Tensor::empty({int64_t(1000 + 97 * i + t)}, DType::f32, Device::cuda()));
    threads.emplace_back([owned = std::move(owned), t]() mutable {
      for (int round = 0; round < 50; ++round) {
        std::vector<Tensor> scratch;
        for (int i = 0; i < 8; ++i)
          scratch.push_back(Tensor::empty({int64_t(512 * (i + 1) + t)}, DType::u8, Device::cuda()));
        if (!owned.empty()) owned.pop_back();  // freed on this thread
      }
    });
  }
  for (int round = 0; round < 200; ++round) {
    const Tensor a = Tensor::empty({int64_t(300 + round)}, DType::f64, Device::cuda());
  }
  for (std::thread& thread : threads) thread.join();
  cuda::synchronize();
  const cuda::MemoryStats end = cuda::memory_stats();
  CHECK(end.in_use_bytes == start.in_use_bytes);
  CHECK(end.reserved_bytes == end.in_use_bytes + end.cached_bytes);
}
