// ResNet: the residual blocks (BasicBlock, Bottleneck), the stages and the stem.
#include "models/nets/resnet.h"

#include <cmath>
#include <string>

#include "autograd/elementwise.h"
#include "autograd/pool.h"
#include "autograd/shape_ops.h"
#include "layers/init.h"
#include "layers/norm.h"
#include "models/nets/blocks.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

bool uses_bottleneck(int depth) { return depth == 50; }
constexpr int kBottleneckExpansion = 4;

std::shared_ptr<Conv2d> conv_no_bias(int in, int out, int kernel, int stride, Generator& generator) {
  return make_conv({in, out, kernel, stride, kernel / 2, false}, generator);
}

// The residual block's shortcut: identity, or downsample = [1x1 conv (stride), BatchNorm2d].
class ResidualBlock : public Module {
 public:
  Variable forward(const Variable& input) override {
    Variable shortcut = downsample_ ? downsample_->forward(input) : input;
    return relu(add(residual(input), shortcut));
  }

 protected:
  virtual Variable residual(const Variable& input) = 0;
  void add_downsample(int in, int out, int stride, Generator& generator) {
    if (stride == 1 && in == out) return;
    downsample_ = register_module("downsample", std::make_shared<Sequential>());
    downsample_->add(conv_no_bias(in, out, 1, stride, generator));
    downsample_->add(std::make_shared<BatchNorm2d>(out));
  }

 private:
  std::shared_ptr<Sequential> downsample_;
};

// BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), two 3x3 convs.
class BasicBlock : public ResidualBlock {
 public:
  BasicBlock(int in, int width, int stride, Generator& generator) {
    conv1_ = register_module("conv1", conv_no_bias(in, width, 3, stride, generator));
    bn1_ = register_module("bn1", std::make_shared<BatchNorm2d>(width));
    conv2_ = register_module("conv2", conv_no_bias(width, width, 3, 1, generator));
    bn2_ = register_module("bn2", std::make_shared<BatchNorm2d>(width));
    add_downsample(in, width, stride, generator);
  }

 protected:
  Variable residual(const Variable& x) override {
    return bn2_->forward(conv2_->forward(relu(bn1_->forward(conv1_->forward(x)))));
  }
  std::string type_name() const override { return "BasicBlock"; }

 private:
  std::shared_ptr<Conv2d> conv1_, conv2_;
  std::shared_ptr<BatchNorm2d> bn1_, bn2_;
};

// Bottleneck (v1.5): 1x1 (-> width), 3x3 with the stride, 1x1 (-> 4 width).
class Bottleneck : public ResidualBlock {
 public:
  Bottleneck(int in, int width, int stride, Generator& generator) {
    const int out = width * kBottleneckExpansion;
    conv1_ = register_module("conv1", conv_no_bias(in, width, 1, 1, generator));
    bn1_ = register_module("bn1", std::make_shared<BatchNorm2d>(width));
    conv2_ = register_module("conv2", conv_no_bias(width, width, 3, stride, generator));
    bn2_ = register_module("bn2", std::make_shared<BatchNorm2d>(width));
    conv3_ = register_module("conv3", conv_no_bias(width, out, 1, 1, generator));
    bn3_ = register_module("bn3", std::make_shared<BatchNorm2d>(out));
    add_downsample(in, out, stride, generator);
  }

 protected:
  Variable residual(const Variable& x) override {
    Variable h = relu(bn1_->forward(conv1_->forward(x)));
    h = relu(bn2_->forward(conv2_->forward(h)));
    return bn3_->forward(conv3_->forward(h));
  }
  std::string type_name() const override { return "Bottleneck"; }

 private:
  std::shared_ptr<Conv2d> conv1_, conv2_, conv3_;
  std::shared_ptr<BatchNorm2d> bn1_, bn2_, bn3_;
};

// torchvision's init: kaiming_normal_(mode="fan_out", nonlinearity="relu") on every conv weight.
void init_conv_weights(Module& module, Generator& generator) {
  for (auto& [name, parameter] : module.named_parameters()) {
    if (parameter.ndim() != 4) continue;
    init::normal(parameter, 0.0, std::sqrt(2.0 / double(init::fan_out(parameter.shape()))), generator);
  }
}

}  // namespace

std::vector<int> resnet_stage_blocks(int depth) {
  if (depth == 18) return {2, 2, 2, 2};
  if (depth == 34 || depth == 50) return {3, 4, 6, 3};
  throw Error("ResNet: depth " + std::to_string(depth) + " is not supported (18, 34 or 50)");
}

int resnet_feature_dim(int depth, int width) {
  resnet_stage_blocks(depth);  // validates
  return 8 * width * (uses_bottleneck(depth) ? kBottleneckExpansion : 1);
}

ResNet::ResNet(const ResNetOptions& options, Generator& generator) : options_(options) {
  const std::vector<int> blocks = resnet_stage_blocks(options.depth);
  DFORGE_CHECK(options.in_channels > 0 && options.num_classes >= 0 && options.width > 0, "ResNet: in_channels and "
               "width must be positive and num_classes non-negative, got ", options.in_channels, ", ", options.width,
               " and ", options.num_classes);
  conv1_ = register_module("conv1", make_conv({options.in_channels, options.width, 7, 2, 3, false}, generator));
  bn1_ = register_module("bn1", std::make_shared<BatchNorm2d>(options.width));
  const bool bottleneck = uses_bottleneck(options.depth);
  int channels = options.width;
  for (size_t stage = 0; stage < blocks.size(); ++stage) {
    const int width = options.width << stage;
    auto layer = std::make_shared<Sequential>();
    for (int block = 0; block < blocks[stage]; ++block) {
      const int stride = (stage > 0 && block == 0) ? 2 : 1;
      if (bottleneck) {
        layer->add(std::make_shared<Bottleneck>(channels, width, stride, generator));
        channels = width * kBottleneckExpansion;
      } else {
        layer->add(std::make_shared<BasicBlock>(channels, width, stride, generator));
        channels = width;
      }
    }
    stages_.push_back(register_module("layer" + std::to_string(stage + 1), layer));
  }
  if (options.num_classes > 0) fc_ = register_module("fc", std::make_shared<Linear>(channels, options.num_classes, true, generator));
  init_conv_weights(*this, generator);
}

Variable ResNet::feature_map(const Variable& input) {
  check_image_input(input, options_.in_channels, "ResNet-" + std::to_string(options_.depth));
  Variable x = max_pool2d(relu(bn1_->forward(conv1_->forward(input))), 3, 2, 1);
  for (auto& stage : stages_) x = stage->forward(x);
  return x;
}

Variable ResNet::features(const Variable& input) { return flatten(adaptive_avg_pool2d(feature_map(input), 1, 1), 1); }

Variable ResNet::classify(const Variable& features) {
  DFORGE_CHECK(fc_ != nullptr, "ResNet-", options_.depth, ": built without fc (num_classes 0); no logits");
  return fc_->forward(features);
}

Variable ResNet::forward(const Variable& input) {
  Variable pooled = features(input);
  return fc_ ? fc_->forward(pooled) : pooled;
}

int ResNet::feature_dim() const { return resnet_feature_dim(options_.depth, options_.width); }

}  // namespace dforge::models
