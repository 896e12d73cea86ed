#include "models/pseudo/trainer.h"

#include <cmath>

#include "autograd/engine.h"
#include "autograd/grad_mode.h"
#include "models/seggan/networks.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"

namespace dforge::models {

bool PseudoLosses::finite() const { return std::isfinite(bce) && std::isfinite(dice) && std::isfinite(total); }

SegmenterOptions segmenter_options(const PseudoConfig& config) {
  SegmenterOptions options;
  options.in_channels = config.image_channels;
  options.num_downs = config.unet_downs;
  options.ngf = config.ngf;
  options.norm = parse_norm_kind(config.norm);
  return options;
}

PseudoTrainer::PseudoTrainer(const PseudoConfig& config, Device device)
    : config_(config), device_(device), init_generator_(config.seed) {
  config_.validate();
  segmenter_ = make_segmenter(segmenter_options(config_), init_generator_);
  segmenter_->to(device);
  segmenter_->train(true);
  AdamOptions adam;
  adam.lr = config_.lr;
  adam.beta1 = config_.beta1;
  adam.beta2 = config_.beta2;
  optimizer_ = std::make_unique<Adam>(segmenter_->named_parameters(), adam);
}

PseudoLosses PseudoTrainer::step(const Tensor& images, const Tensor& masks) {
  DFORGE_CHECK(images.ndim() == 4 && images.size(1) == config_.image_channels, "pseudo: images must be [N, ",
               config_.image_channels, ", H, W], got ", images.describe());
  Tensor input = images.to(device_);
  Variable logits = segmenter_->forward(Variable(segmenter_input(input)));
  SegmentationLoss loss = segmentation_loss(logits, masks.to(device_), config_.dice_weight);
  optimizer_->zero_grad();
  backward(loss.total);
  optimizer_->step();
  ++steps_done_;
  PseudoLosses losses;
  losses.bce = loss.bce.item();
  losses.dice = loss.dice.defined() ? loss.dice.item() : 0.0;
  losses.total = loss.total.item();
  visuals_ = {input, masks.to(device_), runtime::unary(runtime::UnaryOp::sigmoid, logits.data())};
  return losses;
}

NamedTensors PseudoTrainer::state_dict() const {
  NamedTensors tensors;
  for (auto& [name, tensor] : segmenter_->state_dict()) tensors.emplace_back("segmenter." + name, tensor.to(Device::cpu()));
  for (auto& [name, tensor] : optimizer_->state_dict()) tensors.emplace_back("optim." + name, tensor.to(Device::cpu()));
  return tensors;
}

std::map<std::string, std::string> PseudoTrainer::metadata() const {
  return {{"model", "pseudo"}, {"config", to_json(config_).dump()}, {"step", std::to_string(steps_done_)}};
}

void PseudoTrainer::load(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata,
                         const std::string& source) {
  auto step = metadata.find("step");
  DFORGE_CHECK(step != metadata.end(), source, ": not a pseudo checkpoint (no 'step' in its metadata)");
  segmenter_->load_state_dict(segmenter_weights(tensors), source);
  optimizer_->load_state_dict(strip_prefix(tensors, "optim."), source);
  steps_done_ = std::stoll(step->second);
}

NamedTensors segmenter_weights(const NamedTensors& checkpoint) { return strip_prefix(checkpoint, "segmenter."); }

}  // namespace dforge::models
