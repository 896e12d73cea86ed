// CUDA fill_random, mirroring runtime/cpu/random.cpp: element i of a draw is computed from
// philox(seed, draw, i) by the same host-device functions (runtime/philox.h), which use only
// correctly rounded operations, so the GPU writes the CPU's values bit for bit.
#include "runtime/cuda/common.cuh"
#include "runtime/philox.h"
#include "runtime/random.h"

namespace dforge::cuda {

namespace {

template <typename T>
__global__ void fill_random_kernel(T* out, int64_t count, Distribution distribution, double a, double b,
                                   uint64_t seed, uint64_t draw) {
  for (int64_t i = global_thread_index(); i < count; i += global_thread_count()) {
    const philox::Block block = philox::block_for(seed, draw, uint64_t(i));
    double value = 0;
    switch (distribution) {
      case Distribution::uniform:
        value = philox::uniform(block, a, b);
        break;
      case Distribution::normal:
        value = philox::normal(block, a, b);
        break;
      case Distribution::bernoulli:
        value = philox::uniform53(block.word[0], block.word[1]) < a ? 1.0 : 0.0;
        break;
    }
    out[i] = T(value);
  }
}

}  // namespace

void fill_random(Tensor& tensor, Distribution distribution, double a, double b, uint64_t seed,
                 uint64_t draw) {
  dispatch_floating(tensor.dtype(), "fill_random", [&]<typename T>() {
    launch_for(tensor.numel(), fill_random_kernel<T>, tensor.data<T>(), tensor.numel(), distribution, a, b,
               seed, draw);
  });
}

}  // namespace dforge::cuda
