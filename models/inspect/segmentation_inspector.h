// The segmenter as an inspector (paper 004's U-Net, models/inspect/segmenter.h, behind the Inspector
// interface): trained on images with masks -- normal images with empty masks and (synthetic)
// defective images with their masks -- with BCE + dice_weight * Dice (segmentation_loss).
//   input:  images in [-1, 1] (the inspect data pipeline's range, what the U-Net takes)
//   maps:   per-pixel defect probabilities sigmoid(logit), [N, 1, H, W]
//   score:  the map's maximum. So "score >= t" is exactly metrics::image_decisions(maps, t, 1): an
//           image is defective when at least one pixel has p >= t, the decision rule of DR/FAR in
//           metrics/detection.h, and the one threshold both decides images and segments pixels.
// Names: the U-Net's (pix2pix's) under "segmenter.", as in a `dforge train pseudo` checkpoint.
#pragma once

#include <memory>

#include "models/inspect/inspector.h"
#include "models/inspect/segmenter.h"

namespace dforge::models {

struct SegmentationInspectorConfig {
  SegmenterOptions segmenter;
  double dice_weight = 1.0;
};

class SegmentationInspector : public Inspector {
 public:
  SegmentationInspector(const SegmentationInspectorConfig& config, Generator& generator);

  // [N, C, H, W] in [-1, 1] -> defect logits [N, 1, H, W].
  Variable forward(const Variable& images) override;
  // Against batch.masks (zeros for images without a mask): terms "bce", "dice" (when weighted), "total".
  InspectorLoss loss(const data::Batch& batch) override;
  Inspection inspect(const Tensor& images) override;

  std::string kind() const override { return "segmenter"; }
  nlohmann::json config() const override;

 protected:
  std::string type_name() const override { return "SegmentationInspector"; }

 private:
  SegmentationInspectorConfig config_;
  std::shared_ptr<UnetGenerator> segmenter_;
};

}  // namespace dforge::models
