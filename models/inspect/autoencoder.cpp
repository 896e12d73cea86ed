// Autoencoder: ResNet-18 encoder, mirrored transposed-conv decoder, reconstruction error scores.
#include "models/inspect/autoencoder.h"

#include "autograd/elementwise.h"
#include "autograd/grad_mode.h"
#include "autograd/reduce.h"
#include "layers/activations.h"
#include "layers/conv.h"
#include "layers/norm.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

constexpr int kEncoderStride = 32;
// From the layer4 map up to full size, in units of width / 2: 512, 256, 128, 64, 64, 32 at width 64.
constexpr int kDecoderWidths[] = {16, 8, 4, 2, 2, 1};

}  // namespace

nlohmann::json to_json(const AutoencoderConfig& config) {
  return {{"kind", "autoencoder"},
          {"in_channels", config.in_channels},
          {"loss", config.loss == ReconstructionLoss::l2 ? "l2" : "l1"},
          {"width", config.width}};
}

ReconstructionLoss parse_reconstruction_loss(const std::string& name) {
  if (name == "l2") return ReconstructionLoss::l2;
  if (name == "l1") return ReconstructionLoss::l1;
  throw Error("autoencoder: reconstruction loss '" + name + "' is not l2 or l1");
}

AutoencoderConfig autoencoder_config_from_json(const nlohmann::json& json) {
  DFORGE_CHECK(json.value("kind", "autoencoder") == "autoencoder", "autoencoder config: kind is ",
               json.value("kind", ""), ", expected autoencoder");
  AutoencoderConfig config;
  config.in_channels = json.value("in_channels", config.in_channels);
  config.loss = parse_reconstruction_loss(json.value("loss", std::string("l2")));
  config.width = json.value("width", config.width);
  return config;
}

Autoencoder::Autoencoder(const AutoencoderConfig& config, Generator& generator) : config_(config) {
  DFORGE_CHECK(config.width >= 2 && config.width % 2 == 0, "Autoencoder: width ", config.width,
               " must be even and at least 2");
  encoder_ = register_module("encoder", std::make_shared<ResNet>(ResNetOptions{18, config.in_channels, 0, config.width},
                                                                 generator));
  decoder_ = register_module("decoder", std::make_shared<Sequential>());
  const int unit = config.width / 2;
  const ConvTranspose2dOptions up{.stride = 2, .padding = 1, .bias = false};
  for (size_t i = 0; i + 1 < std::size(kDecoderWidths); ++i) {
    const int in = kDecoderWidths[i] * unit, out = kDecoderWidths[i + 1] * unit;
    decoder_->add(std::make_shared<ConvTranspose2d>(in, out, 4, up, generator));
    decoder_->add(std::make_shared<BatchNorm2d>(out));
    decoder_->add(std::make_shared<ReLU>());
  }
  decoder_->add(std::make_shared<Conv2d>(unit, config.in_channels, 3, Conv2dOptions{.padding = 1}, generator));
  decoder_->add(std::make_shared<Tanh>());
}

Variable Autoencoder::forward(const Variable& images) {
  DFORGE_CHECK(images.ndim() == 4 && images.size(2) % kEncoderStride == 0 && images.size(3) % kEncoderStride == 0,
               "Autoencoder: input ", shape_str(images.shape()), " must be [N, C, H, W] with H and W multiples of ",
               kEncoderStride);
  return decoder_->forward(encoder_->feature_map(images));
}

Variable Autoencoder::error(const Variable& reconstruction, const Variable& images) const {
  Variable difference = reconstruction - images;
  return config_.loss == ReconstructionLoss::l2 ? difference * difference : abs(difference);
}

InspectorLoss Autoencoder::loss(const data::Batch& batch) {
  Variable images(batch.images.to(encoder_->parameters().front().device()));
  Variable reconstruction = mean(error(forward(images), images));
  return {reconstruction, {{"reconstruction", reconstruction.item()}}};
}

Inspection Autoencoder::inspect(const Tensor& images) {
  NoGradGuard no_grad;
  Variable input(images);
  Variable maps = mean(error(forward(input), input), {1}, /*keepdim=*/true);
  Inspection inspection;
  inspection.scores = mean(maps, {1, 2, 3}).data().to_vector();
  inspection.maps = maps.data();
  return inspection;
}

}  // namespace dforge::models
