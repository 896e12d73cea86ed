// PatchGanDiscriminator, its geometry (receptive field, output size) and the options inference.
#include "models/nets/patchgan.h"

#include <algorithm>
#include <string>
#include <vector>

#include "layers/activations.h"
#include "layers/conv.h"
#include "layers/sequential.h"
#include "models/nets/blocks.h"
#include "models/nets/init.h"
#include "models/nets/weight_lookup.h"
#include "runtime/error.h"

namespace dforge::models {

namespace {

constexpr int kKernel = 4, kPadding = 1;

// The convs in order, channels and strides as the reference lays them out; the network, its
// receptive field and its output size are all read off this list.
std::vector<ConvSpec> patchgan_convs(int in_channels, int ndf, int n_layers) {
  DFORGE_CHECK(n_layers >= 1, "PatchGAN: n_layers must be at least 1, got ", n_layers);
  auto width = [ndf](int n) { return ndf * std::min(1 << std::min(n, 3), 8); };
  std::vector<ConvSpec> convs;
  convs.push_back({in_channels, ndf, kKernel, 2, kPadding, true});
  for (int n = 1; n < n_layers; ++n) convs.push_back({width(n - 1), width(n), kKernel, 2, kPadding, false});
  convs.push_back({width(n_layers - 1), width(n_layers), kKernel, 1, kPadding, false});
  convs.push_back({width(n_layers), 1, kKernel, 1, kPadding, true});
  return convs;
}

}  // namespace

PatchGanDiscriminator::PatchGanDiscriminator(const PatchGanOptions& options, Generator& generator)
    : options_(options) {
  DFORGE_CHECK(options.in_channels > 0 && options.ndf > 0, "PatchGAN: in_channels and ndf must be positive, got ",
               options.in_channels, ", ", options.ndf);
  std::vector<ConvSpec> convs = patchgan_convs(options.in_channels, options.ndf, options.n_layers);
  std::vector<std::shared_ptr<Conv2d>> layers;
  auto model = std::make_shared<Sequential>();
  for (size_t i = 0; i < convs.size(); ++i) {
    ConvSpec spec = convs[i];
    const bool first = i == 0, last = i + 1 == convs.size();
    if (!first && !last) spec.bias = conv_bias_for(options.norm);
    layers.push_back(make_conv(spec, generator));
    if (first) {
      model->add(layers.back());
      model->add(std::make_shared<LeakyReLU>(0.2));
    } else if (last) {
      model->add(layers.back());
    } else {
      append_with_norm(*model, layers.back(), options.norm, spec.out_channels, std::make_shared<LeakyReLU>(0.2));
    }
  }
  model_ = register_module("model", model);
  init_cyclegan_weights(*this, generator);
  if (options.spectral_norm) {
    for (auto& layer : layers) layer->apply_spectral_norm(generator);
  }
}

Variable PatchGanDiscriminator::forward(const Variable& input) {
  check_image_input(input, options_.in_channels, "PatchGanDiscriminator");
  return model_->forward(input);
}

PatchWindow patchgan_window(int n_layers) {
  // Walking forward: output pixel 0 of a conv sees `size` input pixels from `offset`, and
  // neighbouring outputs are `stride` input pixels apart.
  PatchWindow window;
  for (const ConvSpec& conv : patchgan_convs(1, 1, n_layers)) {
    window.offset -= conv.padding * window.stride;
    window.size += (conv.kernel - 1) * window.stride;
    window.stride *= conv.stride;
  }
  return window;
}

int patchgan_receptive_field(int n_layers) { return patchgan_window(n_layers).size; }

int patchgan_output_size(int input_size, int n_layers) {
  int size = input_size;
  for (const ConvSpec& conv : patchgan_convs(1, 1, n_layers)) {
    const int padded = size + 2 * conv.padding;
    DFORGE_CHECK(padded >= conv.kernel, "PatchGAN: input size ", input_size, " is too small for n_layers ", n_layers,
                 " (receptive field ", patchgan_receptive_field(n_layers), ")");
    size = (padded - conv.kernel) / conv.stride + 1;
  }
  return size;
}

PatchGanOptions infer_patchgan_options(const NamedTensors& weights) {
  const std::string network = "patchgan";
  PatchGanOptions options;
  const Tensor& first = require_conv_weight(weights, "model.0", network);  // [ndf, in, 4, 4]
  options.ndf = int(first.size(0));
  options.in_channels = int(first.size(1));
  options.spectral_norm = has_tensor(weights, "model.0.weight_orig");
  // Convs sit at 0, 2, 5, 8, ..., 3 n_layers + 2; the last one has a single output channel.
  options.n_layers = 1;
  while (true) {
    const std::string prefix = "model." + std::to_string(3 * options.n_layers + 2);
    const Tensor& conv = require_conv_weight(weights, prefix, network);
    if (conv.size(0) == 1) break;
    options.n_layers += 1;
  }
  require_conv_weight(weights, "model.2", network);
  if (has_tensor(weights, "model.3.running_mean")) {
    options.norm = NormKind::batch;
  } else if (has_tensor(weights, "model.2.bias")) {
    options.norm = NormKind::instance;
  } else {
    options.norm = NormKind::none;
  }
  return options;
}

}  // namespace dforge::models
