// The pseudo-supervised inspector of paper 000 (Table III): a ResNet that tells normal images from
// defective ones, trained with cross-entropy on labelled images (real normals, synthetic defects).
// Optionally a source head (papers 001 and 003) sits behind a gradient-reversal layer on the pooled
// features: it learns to tell real images from synthetic ones while the reversed gradient pushes the
// backbone towards features in which the two cannot be told apart (domain-adversarial training,
// Ganin & Lempitsky 2015):
//   loss = CE(fc(f), class) + source_weight * CE(source_head(GRL_lambda(f)), source),  f = features(x)
// Names: the backbone's torchvision names under "backbone." (backbone.fc is the class head) and
// "source_head.weight", "source_head.bias".
#pragma once

#include <memory>

#include "layers/activations.h"
#include "layers/conv.h"
#include "models/inspect/inspector.h"
#include "models/nets/resnet.h"

namespace dforge::models {

struct ClassifierConfig {
  int depth = 18;
  int in_channels = 4;
  int num_classes = 2;      // class 0 is normal; the anomaly score is 1 - p(class 0)
  bool source_head = false; // real (0) vs synthetic (1), behind gradient reversal
  double grl_lambda = 1.0;
  double source_weight = 1.0;
  int width = 64;           // the ResNet's base width (torchvision: 64)
};

nlohmann::json to_json(const ClassifierConfig& config);
// Missing keys keep their defaults; a wrong "kind" throws.
ClassifierConfig classifier_config_from_json(const nlohmann::json& json);

struct ClassifierOutputs {
  Variable class_logits;   // [N, num_classes]
  Variable source_logits;  // [N, 2]; undefined without a source head
};

class Classifier : public Inspector {
 public:
  Classifier(const ClassifierConfig& config, Generator& generator);

  ClassifierOutputs forward_heads(const Variable& images);
  Variable forward(const Variable& images) override { return forward_heads(images).class_logits; }

  // labels, sources: i32 [N]. `sources` may be undefined when there is no source head.
  InspectorLoss loss(const Variable& images, const Tensor& labels, const Tensor& sources);
  // Classes from batch.labels; source 1 for samples whose defect kind is "synthetic".
  InspectorLoss loss(const data::Batch& batch) override;
  Inspection inspect(const Tensor& images) override;

  std::string kind() const override { return "classifier"; }
  nlohmann::json config() const override { return to_json(config_); }
  ResNet& backbone() { return *backbone_; }

 protected:
  std::string type_name() const override { return "Classifier"; }

 private:
  ClassifierConfig config_;
  std::shared_ptr<ResNet> backbone_;
  std::shared_ptr<GradientReversal> reversal_;
  std::shared_ptr<Linear> source_head_;
};

// 1 where the batch's defect kind is "synthetic" (how the training data marks generated images).
Tensor synthetic_sources(const data::Batch& batch);

}  // namespace dforge::models
