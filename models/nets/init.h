// CycleGAN's weight initialisation (MODELS.md "Init"; the reference's init_weights with
// init_type 'normal', gain 0.02), applied to every parameter of a module tree:
//   conv / transposed conv / linear weights (rank >= 2, `weight_orig` under spectral norm) ~ N(0, 0.02)
//   batch-norm weights (rank 1, named `weight`) ~ N(1, 0.02)
//   every bias = 0
// Parameters are recognised by name and rank, which is exact for the CycleGAN backbones (their
// only rank-1 weights are batch-norm scales). Buffers (running statistics, u, v) are untouched.
#pragma once

#include "layers/module.h"
#include "runtime/random.h"

namespace dforge::models {

void init_cyclegan_weights(Module& module, Generator& generator, double gain = 0.02);

}  // namespace dforge::models
