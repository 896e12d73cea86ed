// torchvision's VGG16 convolutional trunk (Simonyan & Zisserman 2015; torchvision.models.vgg16,
// configuration "D", no batch norm) with torchvision's names, so its `features` state dict loads
// unchanged: features.<i>.weight / .bias for the 13 3x3 convs (padding 1) at indices
//   0 2 | 5 7 | 10 12 14 | 17 19 21 | 24 26 28
// with a ReLU after each conv and a 2x2 max pool (stride 2) at 4, 9, 16, 23 (torchvision's last pool
// at 30 and the classifier are not needed and not built). forward_taps returns the five activations
// LPIPS reads (lpips' vgg16 slices end at indices 3, 8, 15, 22, 29):
//   relu1_2 [N, 64, H, W], relu2_2 [N, 128, H/2, W/2], relu3_3 [N, 256, H/4, W/4],
//   relu4_3 [N, 512, H/8, W/8], relu5_3 [N, 512, H/16, W/16]   (floor at every pool).
// The weights are initialised as torchvision does (kaiming_normal fan_out, bias 0) only so the
// network has a defined state; metrics refuse to use it until real weights are loaded.
#pragma once

#include <memory>
#include <vector>

#include "layers/module.h"
#include "layers/sequential.h"
#include "runtime/random.h"

namespace dforge::models {

class Vgg16Features : public Module {
 public:
  explicit Vgg16Features(Generator& generator);

  // [N, 3, H, W] -> relu5_3 (the last tap).
  Variable forward(const Variable& input) override;
  // [N, 3, H, W] -> the five taps, shallowest first.
  std::vector<Variable> forward_taps(const Variable& input);

  // Channels of the five taps: 64, 128, 256, 512, 512.
  static const std::vector<int>& tap_channels();

 protected:
  std::string type_name() const override { return "Vgg16Features"; }

 private:
  std::shared_ptr<Sequential> features_;
  std::vector<size_t> tap_ends_;  // a tap is the output of features[tap_end]
};

}  // namespace dforge::models
