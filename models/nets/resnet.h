// torchvision's ResNet-18/34/50 (He et al., CVPR 2016; torchvision.models.resnet, v1.5: the stride of
// a Bottleneck sits on its 3x3 conv), with torchvision's module names, so a state dict moves between
// defectforge and PyTorch through safetensors unchanged:
//   conv1 (7x7 s2 p3, no bias), bn1, relu, maxpool (3x3 s2 p1)
//   layer1..layer4: blocks "<i>" with conv1, bn1, conv2, bn2 (BasicBlock, depths 18 and 34) or
//                   conv1 (1x1), bn1, conv2 (3x3, stride), bn2, conv3 (1x1, x4), bn3 (Bottleneck, 50);
//                   the first block of a stage that changes shape has downsample.0 (1x1 conv, stride)
//                   and downsample.1 (BatchNorm2d)
//   avgpool (adaptive, 1x1), fc (Linear; absent when num_classes is 0: a headless backbone)
// Widths 64, 128, 256, 512 (x4 for Bottleneck); layer2..4 halve the resolution, so layer4 is the
// input size / 32 and the pooled feature has 512 (18, 34) or 2048 (50) entries (8 and 32 x `width`).
// Init as torchvision: conv weights kaiming_normal (fan_out, ReLU gain); BN weight 1, bias 0; fc
// PyTorch's Linear default. The input channel count is free (4 for RGB + backlight).
#pragma once

#include <memory>
#include <vector>

#include "layers/conv.h"
#include "layers/module.h"
#include "layers/sequential.h"
#include "runtime/random.h"

namespace dforge::models {

struct ResNetOptions {
  int depth = 18;          // 18, 34 or 50
  int in_channels = 3;
  int num_classes = 1000;  // 0: no fc; forward() then returns the pooled features
  int width = 64;          // channels of the stem and layer1, doubled per stage (torchvision: 64);
                           // smaller only for tests and tiny models -- the names do not change
};

class ResNet : public Module {
 public:
  ResNet(const ResNetOptions& options, Generator& generator);

  // [N, in_channels, H, W] -> [N, num_classes] logits (or features() when there is no fc).
  Variable forward(const Variable& input) override;
  // The layer4 map [N, feature_dim, ceil(H/32), ceil(W/32)] (the stem and stages, before pooling).
  Variable feature_map(const Variable& input);
  // The pooled feature vector [N, feature_dim]: what heads are trained on.
  Variable features(const Variable& input);
  // fc applied to pooled features; throws when the network has no fc.
  Variable classify(const Variable& features);

  int feature_dim() const;
  const ResNetOptions& options() const { return options_; }

 protected:
  std::string type_name() const override { return "ResNet"; }

 private:
  ResNetOptions options_;
  std::shared_ptr<Conv2d> conv1_;
  std::shared_ptr<Module> bn1_;
  std::vector<std::shared_ptr<Sequential>> stages_;
  std::shared_ptr<Linear> fc_;
};

// The blocks per stage: 18 -> {2, 2, 2, 2}, 34 and 50 -> {3, 4, 6, 3}; throws on another depth.
std::vector<int> resnet_stage_blocks(int depth);
// 8 x width for BasicBlock depths (18, 34), 32 x width for Bottleneck (50): 512 and 2048 at width 64.
int resnet_feature_dim(int depth, int width = 64);

}  // namespace dforge::models
