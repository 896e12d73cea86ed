// Freezing a network: a GAN's generator update must not leave gradients in the discriminator it
// backpropagates through (PyTorch's module.requires_grad_(False)). Used by every GAN trainer.
#pragma once

#include "layers/module.h"

namespace dforge {

inline void set_requires_grad(const Module& network, bool requires_grad) {
  for (Variable parameter : network.parameters()) parameter.set_requires_grad(requires_grad);
}

}  // namespace dforge
