// Philox on the GPU reproduces the CPU stream bit for bit: same seed and draw, same numbers, for
// every distribution and dtype, at odd sizes, large element indices and large seeds.
#include <catch2/catch.hpp>

#include "runtime/random.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;

TEST_CASE("cuda fill_random is bit-identical to the cpu", "[cuda][random]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    for (int64_t count : {int64_t(1), int64_t(3), int64_t(1000), int64_t(1 << 20) + 7}) {
      for (uint64_t seed : {uint64_t(0), uint64_t(42), uint64_t(0x9E3779B97F4A7C15ull)}) {
        Generator on_cpu(seed), on_gpu(seed);
        on_cpu.set_state(seed, 5);
        on_gpu.set_state(seed, 5);
        Tensor cpu = Tensor::empty({count}, dtype),
               gpu = Tensor::empty({count}, dtype, testing::target_device());
        runtime::fill_normal(cpu, 0.5, 2.0, on_cpu);
        runtime::fill_normal(gpu, 0.5, 2.0, on_gpu);
        INFO("normal " << cpu.describe() << " seed " << seed);
        CHECK(testing::identical_bits(cpu, gpu));
        runtime::fill_uniform(cpu, -3.0, 5.0, on_cpu);
        runtime::fill_uniform(gpu, -3.0, 5.0, on_gpu);
        INFO("uniform");
        CHECK(testing::identical_bits(cpu, gpu));
        runtime::fill_bernoulli(cpu, 0.3, on_cpu);
        runtime::fill_bernoulli(gpu, 0.3, on_gpu);
        INFO("bernoulli");
        CHECK(testing::identical_bits(cpu, gpu));
        CHECK(on_gpu.draws() == on_cpu.draws());  // one draw per fill on either device
        CHECK(on_gpu.draws() == 8);
      }
    }
  }
}

TEST_CASE("cuda fill_random matches the cpu for draws past 2^32", "[cuda][random]") {
  Generator on_cpu, on_gpu;
  on_cpu.set_state(7, (uint64_t(1) << 32) + 3);
  on_gpu.set_state(7, (uint64_t(1) << 32) + 3);
  Tensor cpu = Tensor::empty({4099}), gpu = Tensor::empty({4099}, DType::f32, testing::target_device());
  runtime::fill_normal(cpu, 0.0, 1.0, on_cpu);
  runtime::fill_normal(gpu, 0.0, 1.0, on_gpu);
  CHECK(testing::identical_bits(cpu, gpu));
}

TEST_CASE("cuda fill_random is bit-identical when each thread fills several elements", "[cuda][random]") {
  // blocks_for() caps the grid at about 32 blocks of 256 threads per multiprocessor (1.1M threads on
  // an H100), so the sizes above fit one element per thread: 2^23 + 5 elements make every thread
  // walk the grid-stride loop several times, with element indices far past the grid.
  const int64_t count = (int64_t(1) << 23) + 5;
  Generator on_cpu(123), on_gpu(123);
  Tensor cpu = Tensor::empty({count}), gpu = Tensor::empty({count}, DType::f32, testing::target_device());
  runtime::fill_normal(cpu, 0.0, 1.0, on_cpu);
  runtime::fill_normal(gpu, 0.0, 1.0, on_gpu);
  CHECK(testing::identical_bits(cpu, gpu));
  runtime::fill_uniform(cpu, 0.0, 1.0, on_cpu);
  runtime::fill_uniform(gpu, 0.0, 1.0, on_gpu);
  CHECK(testing::identical_bits(cpu, gpu));
  CHECK(on_gpu.draws() == 2);
}
