#include "runtime/philox.h"
#include "runtime/random.h"

namespace dforge::cpu {

void fill_random(Tensor& tensor, Distribution distribution, double a, double b, uint64_t seed, uint64_t draw) {
  dispatch_floating(tensor.dtype(), "fill_random", [&]<typename T>() {
    T* out = tensor.data<T>();
    const int64_t count = tensor.numel();
#pragma omp parallel for if (count > 16384)
    for (int64_t i = 0; i < count; ++i) {
      const philox::Block block = philox::block_for(seed, draw, uint64_t(i));
      double value = 0;
      switch (distribution) {
        case Distribution::uniform: value = philox::uniform(block, a, b); break;
        case Distribution::normal: value = philox::normal(block, a, b); break;
        case Distribution::bernoulli: value = philox::uniform53(block.word[0], block.word[1]) < a ? 1.0 : 0.0; break;
      }
      out[i] = T(value);
    }
  });
}

}  // namespace dforge::cpu
