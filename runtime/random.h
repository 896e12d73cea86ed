// Random tensors. A Generator is a seed plus a draw counter; each fill takes the next draw and
// element i of it is philox(seed, draw, i), identical on the CPU and the GPU and independent of
// thread count. Saving (seed, draws) in a checkpoint makes a resumed run continue the same stream.
#pragma once

#include <cstdint>

#include "runtime/tensor.h"

namespace dforge {

class Generator {
 public:
  explicit Generator(uint64_t seed = 0) : seed_(seed) {}
  uint64_t seed() const { return seed_; }
  uint64_t draws() const { return draws_; }
  void set_state(uint64_t seed, uint64_t draws) { seed_ = seed; draws_ = draws; }
  uint64_t next_draw() { return draws_++; }

 private:
  uint64_t seed_ = 0;
  uint64_t draws_ = 0;
};

namespace runtime {
// Floating tensors only; values are computed in double and rounded to the tensor's dtype.
void fill_uniform(Tensor& tensor, double low, double high, Generator& generator);
void fill_normal(Tensor& tensor, double mean, double stddev, Generator& generator);
// 1 with probability p, else 0.
void fill_bernoulli(Tensor& tensor, double p, Generator& generator);
}  // namespace runtime

enum class Distribution : uint8_t { uniform, normal, bernoulli };

}  // namespace dforge

namespace dforge::cpu {
// (a, b) = (low, high) for uniform, (mean, stddev) for normal, (p, unused) for bernoulli.
void fill_random(Tensor& tensor, Distribution distribution, double a, double b, uint64_t seed, uint64_t draw);
}  // namespace dforge::cpu

namespace dforge::cuda {
void fill_random(Tensor& tensor, Distribution distribution, double a, double b, uint64_t seed, uint64_t draw);
}  // namespace dforge::cuda
