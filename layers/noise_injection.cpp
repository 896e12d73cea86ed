#include "layers/noise_injection.h"

#include "autograd/elementwise.h"
#include "runtime/error.h"

namespace dforge {

NoiseInjection::NoiseInjection(int channels, Generator& generator) : generator_(generator) {
  weight = register_parameter("weight", Tensor::zeros({channels}));
}

Variable NoiseInjection::forward(const Variable& input) {
  DFORGE_CHECK(input.ndim() == 4 && input.size(1) == weight.numel(), "NoiseInjection: input ", input.describe(),
               " should be [N, ", weight.numel(), ", H, W]");
  if (!enabled_) return input;
  Tensor noise = Tensor::empty({input.size(0), 1, input.size(2), input.size(3)}, input.dtype(), input.device());
  runtime::fill_normal(noise, 0.0, 1.0, generator_);
  return forward_with_noise(input, Variable(noise));
}

Variable NoiseInjection::forward_with_noise(const Variable& input, const Variable& noise) {
  DFORGE_CHECK(noise.ndim() == 4 && noise.size(0) == input.size(0) && noise.size(1) == 1 &&
                   noise.size(2) == input.size(2) && noise.size(3) == input.size(3),
               "NoiseInjection: noise ", noise.describe(), " should be [N, 1, H, W] for input ", input.describe());
  return input + reshape(weight, {1, weight.numel(), 1, 1}) * noise;
}

}  // namespace dforge
