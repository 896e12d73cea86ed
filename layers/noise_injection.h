// Noise injection (paper 003, StyleGAN-style): x + w * n with n ~ N(0, 1) drawn per pixel and
// shared across channels, w a learned per-channel scale initialised to 0 (so a fresh network is
// deterministic and the generator learns how much stochastic detail each layer wants).
// Eval mode keeps the noise (it is part of the model), unless disabled with set_enabled(false).
#pragma once

#include "layers/module.h"
#include "runtime/random.h"

namespace dforge {

class NoiseInjection : public Module {
 public:
  NoiseInjection(int channels, Generator& generator);
  Variable forward(const Variable& input) override;
  // x + w * noise with a given noise [N, 1, H, W] (tests, and reproducing a stored sample).
  Variable forward_with_noise(const Variable& input, const Variable& noise);
  void set_enabled(bool enabled) { enabled_ = enabled; }

  Variable weight;  // [C]

 protected:
  std::string type_name() const override { return "NoiseInjection"; }

 private:
  Generator& generator_;
  bool enabled_ = true;
};

}  // namespace dforge
