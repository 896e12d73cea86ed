// The reconstruction baseline of paper 000 (Table III): a convolutional autoencoder trained on
// normal images only; an image it reconstructs badly is anomalous.
//   encoder: ResNet-18 without fc, to the layer4 map [N, 512, H/32, W/32] (names "encoder.conv1.weight",
//            "encoder.layer1.0.conv1.weight", ... as torchvision's)
//   decoder: the encoder mirrored, 5 x [ConvTranspose2d 4x4 s2 p1 (no bias), BatchNorm2d, ReLU]
//            512 -> 256 -> 128 -> 64 -> 64 -> 32 channels (at width 64; 8w, 4w, 2w, w, w, w/2), back to H x W, then Conv2d 3x3 p1 (-> C)
//            and Tanh, as the images are in [-1, 1] (names "decoder.0.weight" ... "decoder.15.weight")
// H and W must be multiples of 32. Training loss: mean squared (l2) or absolute (l1) error.
// Anomaly map: the per-pixel error of the same kind averaged over channels, [N, 1, H, W]; the
// image's score is the map's mean (the mean reconstruction error).
#pragma once

#include <memory>

#include "layers/sequential.h"
#include "models/inspect/inspector.h"
#include "models/nets/resnet.h"

namespace dforge::models {

enum class ReconstructionLoss { l2, l1 };

struct AutoencoderConfig {
  int in_channels = 4;
  ReconstructionLoss loss = ReconstructionLoss::l2;
  int width = 64;  // the encoder's base width (torchvision: 64); the decoder's widths scale with it
};

nlohmann::json to_json(const AutoencoderConfig& config);
AutoencoderConfig autoencoder_config_from_json(const nlohmann::json& json);
// "l2" or "l1"; anything else throws naming the value.
ReconstructionLoss parse_reconstruction_loss(const std::string& name);

class Autoencoder : public Inspector {
 public:
  Autoencoder(const AutoencoderConfig& config, Generator& generator);

  // [N, C, H, W] -> the reconstruction [N, C, H, W] in (-1, 1).
  Variable forward(const Variable& images) override;
  // Trains on every image of the batch: the data stream feeds normal images only.
  InspectorLoss loss(const data::Batch& batch) override;
  Inspection inspect(const Tensor& images) override;

  std::string kind() const override { return "autoencoder"; }
  nlohmann::json config() const override { return to_json(config_); }

 protected:
  std::string type_name() const override { return "Autoencoder"; }

 private:
  // Per-element error of the configured kind (differentiable).
  Variable error(const Variable& reconstruction, const Variable& images) const;

  AutoencoderConfig config_;
  std::shared_ptr<ResNet> encoder_;
  std::shared_ptr<Sequential> decoder_;
};

}  // namespace dforge::models
