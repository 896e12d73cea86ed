#include "models/defectgan/networks.h"

#include "autograd/elementwise.h"
#include "autograd/shape_ops.h"
#include "layers/activations.h"
#include "layers/init.h"
#include "layers/norm.h"
#include "layers/spade.h"
#include "models/nets/init.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

Variable normalize(Module& norm, const Variable& x, const Variable& control) {
  if (auto* spade = dynamic_cast<Spade*>(&norm)) return spade->forward(x, control);
  return norm.forward(x);
}

// Sequential used as a named list ("encoder.0", "encoder.1", ...): the blocks take more than one
// input, so G calls them itself.
template <typename Block>
void add_to_list(Sequential& list, std::vector<std::shared_ptr<Block>>& blocks, std::shared_ptr<Block> block) {
  blocks.push_back(list.add(std::move(block)));
}

}  // namespace

DefectganBlock::DefectganBlock(Kind kind, int in_channels, int out_channels, const DefectganConfig& config,
                               Generator& generator)
    : kind_(kind) {
  if (kind == Kind::stem || kind == Kind::down) {
    const bool stem = kind == Kind::stem;
    // No bias before a norm, as StarGAN: instance norm would cancel it (and Adam would chase its
    // rounding noise). Only the output conv has one.
    const Conv2dOptions options =
        stem ? Conv2dOptions{.padding = 3, .bias = false} : Conv2dOptions{.stride = 2, .padding = 1, .bias = false};
    conv_ = register_module("conv", std::make_shared<Conv2d>(in_channels, out_channels, stem ? 7 : 4, options,
                                                              generator));
    norm_ = register_module("norm", std::make_shared<InstanceNorm2d>(out_channels, 1e-5, true));
  } else {
    if (config.spatial_control) {
      norm_ = register_module("norm", std::make_shared<Spade>(in_channels, config.classes, generator,
                                                              SpadeNorm::instance, config.spade_hidden));
    } else {
      norm_ = register_module("norm", std::make_shared<InstanceNorm2d>(in_channels, 1e-5, true));
    }
    if (kind == Kind::up) {
      conv_ = register_module("conv", std::make_shared<ConvTranspose2d>(
                                          in_channels, out_channels, 4,
                                          ConvTranspose2dOptions{.stride = 2, .padding = 1, .bias = false}, generator));
    } else {
      const int kernel = kind == Kind::output ? 7 : 3;
      const Conv2dOptions options{.padding = kernel / 2, .bias = kind == Kind::output};
      conv_ = register_module("conv", std::make_shared<Conv2d>(in_channels, out_channels, kernel, options, generator));
    }
  }
  if (config.noise_injection && kind != Kind::output)
    noise_ = register_module("noise", std::make_shared<NoiseInjection>(out_channels, generator));
}

Variable DefectganBlock::forward(const Variable& x, const Variable& control, StepRandomness& random) {
  const bool encoder = kind_ == Kind::stem || kind_ == Kind::down;
  Variable h = encoder ? relu(norm_->forward(conv_->forward(x)))
                                      : conv_->forward(relu(normalize(*norm_, x, control)));
  if (!noise_) return h;
  Tensor noise = random.normal({h.size(0), 1, h.size(2), h.size(3)}, h.device());
  return noise_->forward_with_noise(h, Variable(noise));
}

DefectganResidualBlock::DefectganResidualBlock(int channels, const DefectganConfig& config, Generator& generator) {
  using Kind = DefectganBlock::Kind;
  block1_ = register_module("block1", std::make_shared<DefectganBlock>(Kind::decoder, channels, channels, config,
                                                                       generator));
  block2_ = register_module("block2", std::make_shared<DefectganBlock>(Kind::decoder, channels, channels, config,
                                                                       generator));
}

Variable DefectganResidualBlock::forward(const Variable& x, const Variable& control, StepRandomness& random) {
  return x + block2_->forward(block1_->forward(x, control, random), control, random);
}

DefectganGenerator::DefectganGenerator(const DefectganConfig& config, Generator& generator) : config_(config) {
  using Kind = DefectganBlock::Kind;
  config.validate();
  const int ngf = config.ngf;
  const int in_channels = config.image_channels + (config.spatial_control ? 0 : config.classes);
  const int out_channels = config.image_channels + (config.layerwise_composition ? 1 : 0);
  auto encoder = register_module("encoder", std::make_shared<Sequential>());
  add_to_list(*encoder, encoder_, std::make_shared<DefectganBlock>(Kind::stem, in_channels, ngf, config, generator));
  add_to_list(*encoder, encoder_, std::make_shared<DefectganBlock>(Kind::down, ngf, 2 * ngf, config, generator));
  add_to_list(*encoder, encoder_, std::make_shared<DefectganBlock>(Kind::down, 2 * ngf, 4 * ngf, config, generator));
  auto residual = register_module("residual", std::make_shared<Sequential>());
  for (int i = 0; i < config.residual_blocks; ++i)
    add_to_list(*residual, residual_, std::make_shared<DefectganResidualBlock>(4 * ngf, config, generator));
  auto up = register_module("up", std::make_shared<Sequential>());
  add_to_list(*up, up_, std::make_shared<DefectganBlock>(Kind::up, 4 * ngf, 2 * ngf, config, generator));
  add_to_list(*up, up_, std::make_shared<DefectganBlock>(Kind::up, 2 * ngf, ngf, config, generator));
  output_ = register_module("output", std::make_shared<DefectganBlock>(Kind::output, ngf, out_channels, config,
                                                                        generator));
  init_cyclegan_weights(*this, generator);
  // Noise scales start at 0 (MODELS.md "Noise injection"): a fresh G is deterministic.
  for (const auto& [name, parameter] : named_parameters())
    if (name.ends_with("noise.weight")) init::constant(parameter, 0.0);
}

GeneratorOutput DefectganGenerator::forward(const Variable& x, const Variable& control, StepRandomness& random) {
  DFORGE_CHECK(x.ndim() == 4 && x.size(1) == config_.image_channels, "defectgan G: input ", x.describe(),
               " should be [N, ", config_.image_channels, ", H, W]");
  DFORGE_CHECK(control.ndim() == 4 && control.size(0) == x.size(0) && control.size(1) == config_.classes,
               "defectgan G: control map ", control.describe(), " should be [", x.size(0), ", ", config_.classes,
               ", H, W]");
  DFORGE_CHECK(x.size(2) % 4 == 0 && x.size(3) % 4 == 0, "defectgan G: input ", x.describe(),
               " must have a height and width divisible by 4 (two downsamplings)");
  Variable h = config_.spatial_control ? x : cat({x, control}, 1);
  for (auto& block : encoder_) h = block->forward(h, control, random);
  for (auto& block : residual_) h = block->forward(h, control, random);
  for (auto& block : up_) h = block->forward(h, control, random);
  h = output_->forward(h, control, random);
  if (!config_.layerwise_composition) return {tanh(h), Variable()};
  const int64_t channels = config_.image_channels;
  return {tanh(slice(h, 1, 0, channels)), sigmoid(slice(h, 1, channels, channels + 1))};
}

DefectganDiscriminator::DefectganDiscriminator(const DefectganConfig& config, Generator& generator) {
  config.validate();
  main = register_module("main", std::make_shared<Sequential>());
  int channels = config.image_channels;
  for (int layer = 0; layer < config.d_layers; ++layer) {
    const int out = config.ndf << layer;
    main->add(std::make_shared<Conv2d>(channels, out, 4, Conv2dOptions{.stride = 2, .padding = 1}, generator));
    main->add(std::make_shared<LeakyReLU>(0.01));
    channels = out;
  }
  const int kernel = config.image_size >> config.d_layers;
  conv1 = register_module("conv1", std::make_shared<Conv2d>(channels, 1, 3, Conv2dOptions{.padding = 1, .bias = false},
                                                            generator));
  conv2 = register_module("conv2", std::make_shared<Conv2d>(channels, config.classes, kernel,
                                                            Conv2dOptions{.bias = false}, generator));
  init_cyclegan_weights(*this, generator);
}

CriticOutput DefectganDiscriminator::forward_both(const Variable& x) {
  Variable h = main->forward(x);
  Variable classes = conv2->forward(h);
  DFORGE_CHECK(classes.size(2) == 1 && classes.size(3) == 1, "defectgan D: input ", x.describe(),
               " is not the configured image size (class head output ", classes.describe(), ")");
  return {conv1->forward(h), reshape(classes, {classes.size(0), classes.size(1)})};
}

Variable compose_layers(const Variable& background, const Variable& foreground, const Variable& map) {
  return background * (1.0 - map) + foreground * map;
}

Tensor control_map(const Tensor& labels, int64_t height, int64_t width) {
  DFORGE_CHECK(labels.ndim() == 2, "defectgan: labels ", labels.describe(), " should be [N, K]");
  Variable column = reshape(Variable(labels), {labels.size(0), labels.size(1), 1, 1});
  return broadcast_to(column, {labels.size(0), labels.size(1), height, width}).data();
}

}  // namespace dforge::models
