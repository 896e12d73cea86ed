// The U-Net generator of pix2pix / CycleGAN (junyanz/pytorch-CycleGAN-and-pix2pix, UnetGenerator
// and UnetSkipConnectionBlock), with the reference's nesting and therefore its state-dict names.
// Level k = 1..num_downs from the outside has inner width ngf * min(2^(k-1), 8):
//   outermost  model.model = [Conv 4x4 s2 p1, <level 2>, ReLU, ConvT 4x4 s2 p1 (bias), Tanh]
//   middle     .model      = [LeakyReLU 0.2, Conv, norm, <level k+1>, ReLU, ConvT, norm, (Dropout 0.5)]
//   innermost  .model      = [LeakyReLU 0.2, Conv, ReLU, ConvT, norm]
// Every level but the outermost returns cat([x, model(x)], 1). So the first conv is
// `model.model.0.weight`, level 2's down conv `model.model.1.model.1.weight`, and so on; dropout,
// when on, sits in levels 5 .. num_downs-1 (the ngf*8 -> ngf*8 ones), as in the reference.
#pragma once

#include <memory>

#include "layers/module.h"
#include "models/nets/norm_kind.h"
#include "runtime/random.h"

namespace dforge::models {

struct UnetOptions {
  int in_channels = 3;
  int out_channels = 3;
  int num_downs = 8;  // 8 for 256x256 input (reaches 1x1), 7 for 128x128; at least 2
  int ngf = 64;
  NormKind norm = NormKind::instance;
  bool dropout = false;
  // The outermost level ends in Tanh (images in (-1, 1)); false leaves raw logits, for a
  // segmenter (models/inspect/segmenter.h). Tanh has no weights: state-dict names are the same.
  bool tanh_output = true;
};

class UnetGenerator : public Module {
 public:
  // Weights get CycleGAN's init (init_cyclegan_weights) from `generator`.
  UnetGenerator(const UnetOptions& options, Generator& generator);
  // [N, in_channels, H, W] -> [N, out_channels, H, W] in (-1, 1) (unbounded logits without
  // tanh_output); H and W must be divisible by 2^num_downs.
  Variable forward(const Variable& input) override;
  const UnetOptions& options() const { return options_; }

 protected:
  std::string type_name() const override { return "UnetGenerator"; }

 private:
  UnetOptions options_;
  Generator dropout_generator_;
  std::shared_ptr<Module> model_;
};

// The options a state dict was saved with: channels and ngf from the outermost convs, num_downs
// from the nesting depth, norm from the innermost up-norm (running_mean -> batch) or the up-conv's
// bias (-> instance, else none). Dropout and Tanh have no weights: dropout is reported off and
// tanh_output on (a segmenter's caller sets it false itself). Throws naming the
// missing or mis-shaped tensor.
UnetOptions infer_unet_options(const NamedTensors& weights);

}  // namespace dforge::models
