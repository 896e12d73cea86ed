#include "models/inspect/segmenter.h"

#include "autograd/elementwise.h"
#include "autograd/grad_mode.h"
#include "autograd/reduce.h"
#include "layers/losses.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"

namespace dforge::models {

std::shared_ptr<UnetGenerator> make_segmenter(const SegmenterOptions& options, Generator& generator) {
  UnetOptions unet;
  unet.in_channels = options.in_channels;
  unet.out_channels = 1;
  unet.num_downs = options.num_downs;
  unet.ngf = options.ngf;
  unet.norm = options.norm;
  unet.tanh_output = false;
  return std::make_shared<UnetGenerator>(unet, generator);
}

Tensor segmenter_input(const Tensor& images) { return runtime::affine(images, 2.0, -1.0); }

SegmentationLoss segmentation_loss(const Variable& logits, const Tensor& masks, double dice_weight) {
  DFORGE_CHECK(logits.ndim() == 4 && logits.size(1) == 1 && masks.shape() == logits.shape(),
               "segmentation_loss: logits ", shape_str(logits.shape()), " and masks ", masks.describe(),
               " must both be [N, 1, H, W]");
  Variable target(masks.to(logits.data().device()));
  SegmentationLoss loss;
  loss.bce = bce_with_logits(logits, target);
  loss.total = loss.bce;
  if (dice_weight > 0) {
    Variable probabilities = sigmoid(logits);
    Variable overlap = affine(sum(mul(probabilities, target)), 2.0, 1.0);
    Variable size = affine(add(sum(probabilities), sum(target)), 1.0, 1.0);
    loss.dice = affine(div(overlap, size), -1.0, 1.0);
    loss.total = add(loss.bce, mul(loss.dice, constant(dice_weight, loss.dice)));
  }
  return loss;
}

Tensor defect_probabilities(UnetGenerator& segmenter, const Tensor& images) {
  const bool training = segmenter.is_training();
  const Device device = segmenter.parameters().front().data().device();
  NoGradGuard no_grad;
  segmenter.eval();
  Tensor result = runtime::unary(runtime::UnaryOp::sigmoid,
                                 segmenter.forward(Variable(segmenter_input(images.to(device)))).data());
  segmenter.train(training);
  return result;
}

}  // namespace dforge::models
