// Classifier: ResNet class head plus the optional gradient-reversed source head.
#include "models/inspect/classifier.h"

#include "autograd/grad_mode.h"
#include "autograd/shape_ops.h"
#include "autograd/softmax.h"
#include "layers/losses.h"
#include "runtime/error.h"

namespace dforge::models {

nlohmann::json to_json(const ClassifierConfig& config) {
  return {{"kind", "classifier"},
          {"depth", config.depth},
          {"in_channels", config.in_channels},
          {"num_classes", config.num_classes},
          {"source_head", config.source_head},
          {"grl_lambda", config.grl_lambda},
          {"source_weight", config.source_weight},
          {"width", config.width}};
}

ClassifierConfig classifier_config_from_json(const nlohmann::json& json) {
  DFORGE_CHECK(json.value("kind", "classifier") == "classifier", "classifier config: kind is ",
               json.value("kind", ""), ", expected classifier");
  ClassifierConfig config;
  config.depth = json.value("depth", config.depth);
  config.in_channels = json.value("in_channels", config.in_channels);
  config.num_classes = json.value("num_classes", config.num_classes);
  config.source_head = json.value("source_head", config.source_head);
  config.grl_lambda = json.value("grl_lambda", config.grl_lambda);
  config.source_weight = json.value("source_weight", config.source_weight);
  config.width = json.value("width", config.width);
  return config;
}

Classifier::Classifier(const ClassifierConfig& config, Generator& generator) : config_(config) {
  DFORGE_CHECK(config.num_classes >= 2, "Classifier: num_classes must be at least 2, got ", config.num_classes);
  backbone_ = register_module("backbone", std::make_shared<ResNet>(
                                              ResNetOptions{config.depth, config.in_channels, config.num_classes, config.width},
                                              generator));
  if (config.source_head) {
    reversal_ = std::make_shared<GradientReversal>(config.grl_lambda);
    source_head_ = register_module("source_head",
                                   std::make_shared<Linear>(backbone_->feature_dim(), 2, true, generator));
  }
}

ClassifierOutputs Classifier::forward_heads(const Variable& images) {
  Variable features = backbone_->features(images);
  ClassifierOutputs outputs;
  outputs.class_logits = backbone_->classify(features);
  if (source_head_) outputs.source_logits = source_head_->forward(reversal_->forward(features));
  return outputs;
}

InspectorLoss Classifier::loss(const Variable& images, const Tensor& labels, const Tensor& sources) {
  ClassifierOutputs outputs = forward_heads(images);
  Variable class_loss = cross_entropy(outputs.class_logits, labels);
  InspectorLoss result{class_loss, {{"class", class_loss.item()}}};
  if (source_head_) {
    DFORGE_CHECK(sources.defined(), "Classifier: the source head needs source labels");
    Variable source_loss = cross_entropy(outputs.source_logits, sources);
    result.total = class_loss + source_loss * config_.source_weight;
    result.terms.emplace_back("source", source_loss.item());
  }
  result.terms.emplace_back("total", result.total.item());
  return result;
}

InspectorLoss Classifier::loss(const data::Batch& batch) {
  const Device device = backbone_->parameters().front().device();
  return loss(Variable(batch.images.to(device)), batch.labels.to(device),
              source_head_ ? synthetic_sources(batch).to(device) : Tensor());
}

Inspection Classifier::inspect(const Tensor& images) {
  NoGradGuard no_grad;
  Variable probabilities = softmax(forward(Variable(images)), 1);
  std::vector<double> normal = slice(probabilities, 1, 0, 1).data().to_vector();
  Inspection inspection;
  for (double p : normal) inspection.scores.push_back(1.0 - p);
  return inspection;
}

Tensor synthetic_sources(const data::Batch& batch) {
  std::vector<double> sources;
  for (const std::string& defect : batch.defects) sources.push_back(defect == "synthetic" ? 1.0 : 0.0);
  return Tensor::from_values(sources, {int64_t(sources.size())}, DType::i32);
}

}  // namespace dforge::models
