// LPIPS, the learned perceptual image patch similarity (Zhang et al., CVPR 2018), VGG16 "lin"
// variant, version 0.1 of the lpips package (richzhang/PerceptualSimilarity, lpips/lpips.py and
// lpips/pretrained_networks.py):
//   x -> (x - shift) / scale                shift (-0.030, -0.088, -0.188), scale (0.458, 0.448, 0.450)
//   five VGG16 taps f_k (relu1_2 .. relu5_3, models/nets/vgg16.h)
//   n_k = f_k / (sqrt(sum_c f_k^2) + 1e-10)  unit-normalised over channels
//   d(x0, x1) = sum_k mean_{h,w} w_k . (n_k(x0) - n_k(x1))^2   (w_k: the 1x1 lin conv, no bias)
// Inputs of Lpips::distance are [N, 3, H, W] in [-1, 1], H, W >= 16 (relu5_3 must have a pixel).
// Names are those of the weight files: torchvision's VGG16 `features.<i>.weight|bias` and the lpips
// lin layers `lin<k>.model.1.weight` [1, C_k, 1, 1] (index 0 is the lpips Dropout, identity here).
//
// Images (lpips_image): [C, H, W] in [0, 1] as read from files, mapped to [-1, 1]. A 3-channel image
// is scored as is, a 1-channel one repeated to RGB; a 4-channel image (RGB + backlight, paper 000) is
// scored twice, RGB and the backlight repeated to three channels, and the two distances averaged.
//
// Masked LPIPS (our extension, not in the lpips package): the per-tap spatial mean is replaced by a
// weighted mean, the weight at a feature pixel being the fraction of its area that the mask covers
// (the mask, defect where > 0.5, area-averaged to the tap's size with adaptive average pooling);
// "outside" uses 1 - that fraction. A region with no weight gives NaN. Without a mask only `all`.
//
// The network is never used with random weights outside tests: load_lpips throws a one-line error
// naming tools/export_metric_weights.py when no weight file is given or it cannot be read.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers/module.h"
#include "models/nets/vgg16.h"
#include "runtime/random.h"

namespace dforge::metrics {

// The five 1x1 convs (lin0 .. lin4), as a Module so they load by name.
class LpipsLinearLayers : public Module {
 public:
  explicit LpipsLinearLayers(Generator& generator);
  const std::vector<Variable>& weights() const { return weights_; }

 protected:
  std::string type_name() const override { return "LpipsLinearLayers"; }

 private:
  std::vector<Variable> weights_;  // [1, C_k, 1, 1]
};

struct LpipsRegions {
  double all = 0, inside = 0, outside = 0;  // inside / outside NaN without a mask or an empty region
};

class Lpips {
 public:
  // Random weights: for tests only (parity, identities). Metrics use load_lpips.
  explicit Lpips(Generator& generator);

  // Strict: the file must hold exactly the VGG16 features and the five lin weights.
  void load_weights(const NamedTensors& weights, const std::string& source);
  NamedTensors state_dict() const;

  // x0, x1 [N, 3, H, W] in [-1, 1] -> [N] distances.
  Variable distance(const Variable& x0, const Variable& x1) { return distance_weighted(x0, x1, Variable()); }
  // The same with each tap's spatial mean weighted by `weight` [N, 1, H, W] area-averaged to the
  // tap's size (undefined: the plain mean).
  Variable distance_weighted(const Variable& x0, const Variable& x1, const Variable& weight);

 private:
  std::shared_ptr<models::Vgg16Features> vgg_;
  std::shared_ptr<LpipsLinearLayers> linear_;
};

// The LPIPS network with the weights of `path` (a safetensors file written by
// tools/export_metric_weights.py); throws when `path` is empty or cannot be loaded.
std::unique_ptr<Lpips> load_lpips(const std::string& path);

// LPIPS of two images [C, H, W] in [0, 1] (C 1, 3 or 4, see above); `mask` [1, H, W] or undefined.
LpipsRegions lpips_image(Lpips& lpips, const Tensor& a, const Tensor& b, const Tensor& mask = Tensor());

}  // namespace dforge::metrics
