#include "models/inspect/segmentation_inspector.h"

#include "autograd/grad_mode.h"
#include "runtime/elementwise.h"
#include "runtime/reduce.h"

namespace dforge::models {

SegmentationInspector::SegmentationInspector(const SegmentationInspectorConfig& config, Generator& generator)
    : config_(config) {
  segmenter_ = register_module("segmenter", make_segmenter(config.segmenter, generator));
}

Variable SegmentationInspector::forward(const Variable& images) { return segmenter_->forward(images); }

InspectorLoss SegmentationInspector::loss(const data::Batch& batch) {
  Variable images(batch.images.to(segmenter_->parameters().front().device()));
  SegmentationLoss loss = segmentation_loss(forward(images), batch.masks, config_.dice_weight);
  InspectorLoss result;
  result.total = loss.total;
  result.terms.emplace_back("bce", loss.bce.item());
  if (loss.dice.defined()) result.terms.emplace_back("dice", loss.dice.item());
  result.terms.emplace_back("total", loss.total.item());
  return result;
}

Inspection SegmentationInspector::inspect(const Tensor& images) {
  NoGradGuard no_grad;
  Inspection inspection;
  inspection.maps = runtime::unary(runtime::UnaryOp::sigmoid, forward(Variable(images)).data());
  inspection.scores = runtime::max(inspection.maps, {1, 2, 3}).to_vector();
  return inspection;
}

nlohmann::json SegmentationInspector::config() const {
  return {{"kind", kind()},
          {"in_channels", config_.segmenter.in_channels},
          {"num_downs", config_.segmenter.num_downs},
          {"ngf", config_.segmenter.ngf},
          {"norm", norm_kind_name(config_.segmenter.norm)},
          {"dice_weight", config_.dice_weight}};
}

}  // namespace dforge::models
