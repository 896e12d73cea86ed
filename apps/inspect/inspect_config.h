// InspectConfig: the settings of an inspector training run (`dforge inspect train`), saved as JSON in
// the run's config.json and in its checkpoint, so `--resume` and `dforge inspect eval` rebuild the
// same network. Which fields a kind reads is up to the kind (apps/inspect/inspector_kinds.h).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace dforge::apps {

struct InspectConfig {
  std::string kind = "classifier";  // classifier | autoencoder | segmenter
  int channels = 0;                 // image channels, taken from the data when the run starts
  // classifier
  int depth = 18;                   // ResNet-18, 34 or 50
  int width = 64;                   // ResNet base width (torchvision: 64), both kinds
  bool source_head = false;         // real-vs-synthetic head behind gradient reversal
  double grl_lambda = 1.0;
  double source_weight = 1.0;
  // autoencoder
  std::string loss = "l2";          // reconstruction loss: l2 or l1
  // segmenter (the U-Net of models/inspect/segmenter.h)
  int ngf = 32;                     // U-Net base width
  int unet_downs = 5;               // U-Net depth; size must be a multiple of 2^unet_downs
  std::string norm = "batch";       // batch | instance | none
  double dice_weight = 1.0;         // loss = BCE + dice_weight * soft Dice
  // training
  int size = 64;                    // images are resized to size x size (a multiple of 32); 0 (only for
                                    // a pseudo checkpoint evaluated as a segmenter): native size
  int batch = 8;
  int64_t steps = 200;
  double lr = 1e-3;                 // Adam, betas (0.9, 0.999)
  uint64_t seed = 0;
  int64_t checkpoint_every = 100;   // 0: only at the end
  int64_t validate_every = 50;      // with a validation set: score it every N steps and at the end

  // Throws naming the first bad field.
  void validate() const;
};

nlohmann::json to_json(const InspectConfig& config);
// Missing keys keep their defaults; an unknown key or a value of the wrong type is an error naming it.
InspectConfig inspect_config_from_json(const nlohmann::json& json);

}  // namespace dforge::apps
