// The ResNet generator of CycleGAN (junyanz/pytorch-CycleGAN-and-pix2pix, ResnetGenerator and
// ResnetBlock with padding_type 'reflect'), with the reference's Sequential indices:
//   model.0..3    ReflectPad 3, Conv 7x7 (-> ngf), norm, ReLU
//   model.4..9    2 x [Conv 3x3 s2 p1 (x2 channels), norm, ReLU]
//   model.10..    `blocks` ResnetBlocks: x + conv_block(x), conv_block = [ReflectPad 1, Conv 3x3, norm,
//                 ReLU, (Dropout 0.5), ReflectPad 1, Conv 3x3, norm]
//   then          2 x [ConvT 3x3 s2 p1 output_padding 1 (/2 channels), norm, ReLU], ReflectPad 3,
//                 Conv 7x7 (bias) -> out_channels, Tanh
// So the first conv is `model.1.weight`, the first block's first conv `model.10.conv_block.1.weight`
// and the last conv `model.<17 + blocks>.weight`.
#pragma once

#include <memory>

#include "layers/module.h"
#include "models/nets/norm_kind.h"
#include "runtime/random.h"

namespace dforge::models {

struct ResnetOptions {
  int in_channels = 3;
  int out_channels = 3;
  int ngf = 64;
  int blocks = 9;  // 9 for 256x256 input, 6 for 128x128
  NormKind norm = NormKind::instance;
  bool dropout = false;
};

class ResnetGenerator : public Module {
 public:
  // Weights get CycleGAN's init (init_cyclegan_weights) from `generator`.
  ResnetGenerator(const ResnetOptions& options, Generator& generator);
  // [N, in_channels, H, W] -> [N, out_channels, H', W'] in (-1, 1); H' = H when H is divisible by 4.
  Variable forward(const Variable& input) override;
  const ResnetOptions& options() const { return options_; }

 protected:
  std::string type_name() const override { return "ResnetGenerator"; }

 private:
  ResnetOptions options_;
  Generator dropout_generator_;
  std::shared_ptr<Module> model_;
};

// The options a state dict was saved with: channels and ngf from the 7x7 convs, blocks by counting
// model.<10 + i>.conv_block, dropout from where the block's second conv sits (index 6 instead of 5),
// norm from model.2 (running_mean -> batch) or model.1's bias (-> instance, else none). Throws naming
// the missing or mis-shaped tensor.
ResnetOptions infer_resnet_options(const NamedTensors& weights);

}  // namespace dforge::models
