// The binary defect segmenter of paper 004 (Sec. 2.2): a U-Net (models/nets/unet_generator.h,
// pix2pix's, so state-dict names are the reference's) with one output channel of logits instead
// of tanh. Input: images in [0, 1], scaled to [-1, 1] by segmenter_input(). The defect
// probability of a pixel is sigmoid(logit).
//
// Loss: BCE with logits (layers/losses.h) + dice_weight * the soft Dice loss of Milletari et al.
// 2016 (V-Net, eq. 1 without squares in the denominator), 1 - (2 sum p t + 1) / (sum p + sum t + 1)
// over the whole batch, p = sigmoid(logits); BCE + Dice is the usual loss of a binary U-Net
// segmenter [I] (MODELS.md).
#pragma once

#include <memory>

#include "models/nets/unet_generator.h"

namespace dforge::models {

struct SegmenterOptions {
  int in_channels = 3;
  int num_downs = 5;
  int ngf = 32;
  NormKind norm = NormKind::batch;
};

// A UnetGenerator with out_channels 1 and tanh_output false; weights from `generator`.
std::shared_ptr<UnetGenerator> make_segmenter(const SegmenterOptions& options, Generator& generator);

// Images f32 [N, C, H, W] in [0, 1] -> the segmenter's input range [-1, 1].
Tensor segmenter_input(const Tensor& images);

struct SegmentationLoss {
  Variable total, bce, dice;  // 0-d; dice is undefined when dice_weight is 0
};
// logits, masks: [N, 1, H, W]; masks 0/1.
SegmentationLoss segmentation_loss(const Variable& logits, const Tensor& masks, double dice_weight);

// Defect probabilities f32 [N, 1, H, W] for images [N, C, H, W] in [0, 1], in eval mode and
// without gradients, on the segmenter's device; the segmenter is left in the mode it was in.
Tensor defect_probabilities(UnetGenerator& segmenter, const Tensor& images);

}  // namespace dforge::models
