// Shared builders of the CycleGAN backbones.
#include "models/nets/blocks.h"

#include "runtime/error.h"

namespace dforge::models {

std::shared_ptr<Conv2d> make_conv(const ConvSpec& spec, Generator& generator) {
  Conv2dOptions options;
  options.stride = spec.stride;
  options.padding = spec.padding;
  options.bias = spec.bias;
  return std::make_shared<Conv2d>(spec.in_channels, spec.out_channels, spec.kernel, options, generator);
}

void append_with_norm(Sequential& sequence, std::shared_ptr<Module> layer, NormKind norm, int channels,
                      std::shared_ptr<Module> activation) {
  sequence.add(std::move(layer));
  sequence.add(make_norm(norm, channels));
  if (activation) sequence.add(std::move(activation));
}

void check_image_input(const Variable& input, int channels, const std::string& network) {
  DFORGE_CHECK(input.ndim() == 4, network, ": input has shape ", shape_str(input.shape()),
               ", expected [N, ", channels, ", H, W]");
  DFORGE_CHECK(input.size(1) == channels, network, ": input ", shape_str(input.shape()), " has ", input.size(1),
               " channels, the network expects ", channels);
}

Generator derive_generator(Generator& rng) {
  const uint64_t draw = rng.next_draw();
  return Generator(rng.seed() * 0x9E3779B97F4A7C15ull + draw + 1);
}

}  // namespace dforge::models
