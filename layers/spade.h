// SPADE (Park et al. 2019, NVlabs/SPADE normalization.py) and OD-SPADE (paper 002).
//
// SPADE: out = norm(x) * (1 + gamma(m)) + beta(m), the parameter-free norm of x modulated by
// convolutions of the segmentation/control map m (resized to x by nearest neighbour). Names:
// param_free_norm.*, mlp_shared.0.*, mlp_gamma.*, mlp_beta.*.
//
// OD-SPADE: the modulation comes from a 1-D code w = [z || one-hot class] instead of a map:
// fc(w) reshaped to 1 x h x w -> Conv3x3 (1 -> 3, no bias) + LeakyReLU 0.2 -> gamma, beta by
// Conv3x3 (3 -> C, no bias); x normalised across channels per pixel; out = gamma * x_hat + beta.
#pragma once

#include <memory>

#include "layers/conv.h"
#include "layers/norm.h"
#include "layers/sequential.h"

namespace dforge {

enum class SpadeNorm { instance, batch };

class Spade : public Module {
 public:
  Spade(int channels, int label_channels, Generator& generator, SpadeNorm norm = SpadeNorm::instance,
        int hidden = 128, int kernel_size = 3);
  // x [N, C, H, W], segmap [N, label_channels, h, w] (any h, w)
  Variable forward(const Variable& x, const Variable& segmap);

  std::shared_ptr<Module> param_free_norm;
  std::shared_ptr<Sequential> mlp_shared;
  std::shared_ptr<Conv2d> mlp_gamma, mlp_beta;

 protected:
  std::string type_name() const override { return "SPADE"; }
};

class OdSpade : public Module {
 public:
  OdSpade(int channels, int code_dim, int height, int width, Generator& generator);
  // x [N, C, height, width], code [N, code_dim]
  Variable forward(const Variable& x, const Variable& code);

  std::shared_ptr<Linear> fc;
  std::shared_ptr<Sequential> shared;
  std::shared_ptr<Conv2d> gamma, beta;

 protected:
  std::string type_name() const override { return "OD-SPADE"; }

 private:
  int height_, width_;
};

}  // namespace dforge
