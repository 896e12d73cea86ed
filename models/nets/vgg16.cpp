// VGG16's `features` as a torch.nn.Sequential of convs, ReLUs and max pools, read off its
// configuration "D" list.
#include "models/nets/vgg16.h"

#include <cmath>

#include "autograd/pool.h"
#include "layers/activations.h"
#include "layers/conv.h"
#include "layers/init.h"
#include "models/nets/blocks.h"

namespace dforge::models {
namespace {

constexpr int kMaxPool = 0;
// Configuration "D" without the final pool: conv widths, kMaxPool for a 2x2 max pool.
const std::vector<int> kConfiguration = {64, 64, kMaxPool, 128, 128, kMaxPool, 256, 256, 256, kMaxPool,
                                         512, 512, 512, kMaxPool, 512, 512, 512};

class MaxPool2x2 : public Module {
 public:
  Variable forward(const Variable& input) override { return max_pool2d(input, 2, 2); }

 protected:
  std::string type_name() const override { return "MaxPool2d"; }
};

}  // namespace

const std::vector<int>& Vgg16Features::tap_channels() {
  static const std::vector<int> channels = {64, 128, 256, 512, 512};
  return channels;
}

Vgg16Features::Vgg16Features(Generator& generator) {
  features_ = register_module("features", std::make_shared<Sequential>());
  int channels = 3;
  for (size_t i = 0; i < kConfiguration.size(); ++i) {
    const int width = kConfiguration[i];
    if (width == kMaxPool) {
      features_->add(std::make_shared<MaxPool2x2>());
      continue;
    }
    auto conv = features_->add(make_conv({channels, width, 3, 1, 1, true}, generator));
    init::normal(conv->weight, 0.0, std::sqrt(2.0 / double(init::fan_out(conv->weight.shape()))), generator);
    init::constant(conv->bias, 0.0);
    features_->add(std::make_shared<ReLU>());
    channels = width;
    // The last ReLU before a pool (or the end) closes a tap.
    if (i + 1 == kConfiguration.size() || kConfiguration[i + 1] == kMaxPool) tap_ends_.push_back(features_->size() - 1);
  }
}

std::vector<Variable> Vgg16Features::forward_taps(const Variable& input) {
  check_image_input(input, 3, "VGG16");
  std::vector<Variable> taps;
  Variable x = input;
  for (size_t i = 0; i < features_->size(); ++i) {
    x = (*features_)[i].forward(x);
    if (taps.size() < tap_ends_.size() && tap_ends_[taps.size()] == i) taps.push_back(x);
  }
  return taps;
}

Variable Vgg16Features::forward(const Variable& input) { return forward_taps(input).back(); }

}  // namespace dforge::models
