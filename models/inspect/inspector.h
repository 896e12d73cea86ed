// Inspector: the interface of a downstream defect detector (the classifier, the autoencoder and
// the segmenter), the part the training run and `dforge inspect eval` share:
//   - loss(batch): the training objective on one batch (images in [-1, 1]), with its named terms;
//   - inspect(images): without gradients, a score per image (higher = more likely defective) and,
//     when the inspector localises, an anomaly map per pixel for pixel-level metrics;
//   - config(): the JSON the inspector is rebuilt from (it carries "kind").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/loader.h"
#include "layers/module.h"

namespace dforge::models {

struct InspectorLoss {
  Variable total;                                     // what backward() runs on
  std::vector<std::pair<std::string, double>> terms;  // e.g. {"class", 0.69}, {"source", 0.70}
};

struct Inspection {
  std::vector<double> scores;  // one per image
  Tensor maps;                 // f32 [N, 1, H, W] anomaly maps, or undefined when there are none
};

class Inspector : public Module {
 public:
  virtual std::string kind() const = 0;
  virtual InspectorLoss loss(const data::Batch& batch) = 0;
  // Runs in whatever mode the module is in (call eval() first for BatchNorm's running statistics).
  virtual Inspection inspect(const Tensor& images) = 0;
  virtual nlohmann::json config() const = 0;
};

}  // namespace dforge::models
