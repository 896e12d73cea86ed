// Adaptive instance normalisation (Huang & Belongie 2017) as StarGAN v2 writes it:
// out = (1 + gamma) * IN(x) + beta, [gamma, beta] = fc(style). Names: fc.weight, fc.bias.
#pragma once

#include <memory>

#include "layers/conv.h"
#include "layers/norm.h"

namespace dforge {

class AdaIN : public Module {
 public:
  AdaIN(int style_dim, int channels, Generator& generator);
  // x [N, C, H, W], style [N, style_dim]
  Variable forward(const Variable& x, const Variable& style);

  std::shared_ptr<InstanceNorm2d> norm;
  std::shared_ptr<Linear> fc;

 protected:
  std::string type_name() const override { return "AdaIN"; }

 private:
  int channels_;
};

}  // namespace dforge
