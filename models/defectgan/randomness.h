// Where a defectgan step's random numbers come from: the noise of every noise injection (paper 003,
// "Stochastic Variation of Defects") and WGAN-GP's per-sample alpha. Training draws them from a
// Philox Generator, so a run is reproducible and a checkpoint saves the stream's (seed, draws);
// the PyTorch parity test replays PyTorch's draws through the same interface, in the same order.
#pragma once

#include "runtime/random.h"
#include "runtime/tensor.h"

namespace dforge::models {

class StepRandomness {
 public:
  virtual ~StepRandomness() = default;
  virtual Tensor normal(const Shape& shape, Device device) = 0;   // N(0, 1), f32
  virtual Tensor uniform(const Shape& shape, Device device) = 0;  // U(0, 1), f32
};

class PhiloxRandomness : public StepRandomness {
 public:
  explicit PhiloxRandomness(uint64_t seed) : generator_(seed) {}
  Tensor normal(const Shape& shape, Device device) override;
  Tensor uniform(const Shape& shape, Device device) override;
  Generator& generator() { return generator_; }
  const Generator& generator() const { return generator_; }

 private:
  Generator generator_;
};

}  // namespace dforge::models
