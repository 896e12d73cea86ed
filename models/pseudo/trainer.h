// PseudoTrainer: one training step of paper 004's segmenter on pseudo-defective images, and what a
// checkpoint must hold to continue it bit for bit (segmenter, Adam state, step count, config).
// The step: logits = U-Net(2x - 1); loss = BCE(logits, mask) + dice_weight Dice (segmenter.h);
// Adam update.
#pragma once

#include <map>
#include <memory>

#include "layers/optimizer.h"
#include "models/inspect/segmenter.h"
#include "models/pseudo/config.h"

namespace dforge::models {

struct PseudoLosses {
  double bce = 0, dice = 0, total = 0;
  bool finite() const;
};

// The last step's batch, for sample grids (CPU-side copies are made by the caller).
struct PseudoVisuals {
  Tensor images, masks, probabilities;  // [N, C|1|1, H, W]; images in [0, 1]
};

SegmenterOptions segmenter_options(const PseudoConfig& config);

class PseudoTrainer {
 public:
  PseudoTrainer(const PseudoConfig& config, Device device);

  // images [N, C, H, W] in [0, 1] (pseudo-defective), masks [N, 1, H, W]; moved to the device.
  PseudoLosses step(const Tensor& images, const Tensor& masks);

  int64_t steps_done() const { return steps_done_; }
  const PseudoConfig& config() const { return config_; }
  UnetGenerator& segmenter() { return *segmenter_; }
  const PseudoVisuals& visuals() const { return visuals_; }

  // "segmenter.<reference name>" and "optim.<...>" on the CPU; metadata: model, config, step.
  NamedTensors state_dict() const;
  std::map<std::string, std::string> metadata() const;
  void load(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata, const std::string& source);

 private:
  PseudoConfig config_;
  Device device_;
  Generator init_generator_;
  std::shared_ptr<UnetGenerator> segmenter_;
  std::unique_ptr<Adam> optimizer_;
  int64_t steps_done_ = 0;
  PseudoVisuals visuals_;
};

// The segmenter's weights from a checkpoint written by PseudoTrainer (prefix "segmenter." removed).
NamedTensors segmenter_weights(const NamedTensors& checkpoint);

}  // namespace dforge::models
