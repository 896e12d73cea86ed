// PseudoConfig: every setting of a `pseudo` run (paper 004; MODELS.md "pseudo"): the segmenter,
// its optimisation, the data and the pseudo-defect generator. It travels with the run as JSON in
// the checkpoint's metadata, so `inspect eval` rebuilds the network and `--resume` continues it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/pseudo/generator.h"

namespace dforge::models {

struct PseudoConfig {
  // Segmenter: a pix2pix U-Net with one logit channel (models/inspect/segmenter.h)
  int image_channels = 4;
  int ngf = 32;
  int unet_downs = 5;
  std::string norm = "batch";
  // Loss: BCE with logits + dice_weight * soft Dice
  double dice_weight = 1.0;
  // Adam
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999;
  int64_t steps = 2000;
  int batch = 16;             // paper 004: batch 16 at 128 x 128
  // Data: random crops of <surface>/train/good, flipped
  int resize = 0;
  int crop = 128;
  std::vector<std::string> surfaces;
  uint64_t seed = 0;
  double defect_probability = 0.8;  // share of training crops that get pseudo-defects
  // Generator (the rest of PseudoOptions keeps its defaults)
  int min_defects = 1, max_defects = 3;
  double min_size = 0.08, max_size = 0.4;
  double noise_std = 0.04;
  bool image_colours = false;       // also draw colours from the image itself
  // Bookkeeping
  int64_t sample_every = 200;
  int64_t checkpoint_every = 500;

  pseudo::PseudoOptions pseudo_options() const;
  void validate() const;  // throws naming the bad value
};

nlohmann::json to_json(const PseudoConfig& config);
// Missing keys keep their defaults; unknown keys are an error.
PseudoConfig pseudo_config_from_json(const nlohmann::json& json);

}  // namespace dforge::models
