// LPIPS (VGG16, lin, v0.1): the scaling layer, the normalised tap differences, the lin layers and
// the (optionally mask-weighted) spatial means; 1-, 3- and 4-channel images.
#include "metrics/lpips.h"

#include "autograd/elementwise.h"
#include "autograd/grad_mode.h"
#include "autograd/pool.h"
#include "autograd/reduce.h"
#include "autograd/shape_ops.h"
#include "layers/activations.h"
#include "layers/init.h"
#include "layers/sequential.h"
#include "metrics/metric_weights.h"
#include "models/nets/blocks.h"
#include "runtime/error.h"

#include <limits>

namespace dforge::metrics {
namespace {

constexpr double kNormEps = 1e-10;
const std::string kVggPrefix = "features.";

// lpips ScalingLayer (v0.1): ImageNet mean and std in [-1, 1] units.
Variable scaling_layer(const Variable& x) {
  const Tensor shift = Tensor::from_values({-0.030, -0.088, -0.188}, {1, 3, 1, 1}).to(x.device());
  const Tensor scale = Tensor::from_values({0.458, 0.448, 0.450}, {1, 3, 1, 1}).to(x.device());
  return (x - Variable(shift)) / Variable(scale);
}

Variable unit_normalise(const Variable& features) {
  return features / (sqrt(sum(features * features, {1}, true)) + kNormEps);
}

// [N, 1, h, w] -> [N]: the plain spatial mean, or the mean weighted by `weight` [N, 1, H, W]
// area-averaged to h x w (NaN where the weights sum to 0).
Variable spatial_mean(const Variable& map, const Variable& weight) {
  const int64_t n = map.size(0);
  if (!weight.defined()) return reshape(mean(map, {1, 2, 3}), {n});
  const Variable w = adaptive_avg_pool2d(weight, int(map.size(2)), int(map.size(3)));
  return reshape(sum(map * w, {1, 2, 3}) / sum(w, {1, 2, 3}), {n});
}

// [C, H, W] in [0, 1] -> [1, 3, H, W] in [-1, 1], channels first..first+2 (or one repeated).
Variable lpips_input(const Tensor& image, int first, bool repeat) {
  Variable x = reshape(Variable(image), {1, image.size(0), image.size(1), image.size(2)});
  x = repeat ? cat({slice(x, 1, first, first + 1), slice(x, 1, first, first + 1), slice(x, 1, first, first + 1)}, 1)
             : slice(x, 1, first, first + 3);
  return x * 2.0 - 1.0;
}

// lpips NetLinLayer: model = Sequential(Dropout, Conv2d(C, 1, 1, bias=False)). The dropout is the
// identity at inference and has no state; Identity keeps its index so the conv is "model.1".
class NetLinLayer : public Module {
 public:
  NetLinLayer(int channels, Generator& generator) {
    auto model = register_module("model", std::make_shared<Sequential>());
    model->add(std::make_shared<Identity>());
    weight = model->add(models::make_conv({channels, 1, 1, 1, 0, false}, generator))->weight;
    // Random weights (tests) are non-negative like the trained ones (lpips clamps them at 0), so a
    // distance with random weights is still >= 0.
    init::uniform(weight, 0.0, 1.0 / channels, generator);
  }
  Variable weight;

 protected:
  std::string type_name() const override { return "NetLinLayer"; }
};

// [1, H, W] -> f32 [1, 1, H, W]: 1 where the mask is > 0.5 (a defect), 0 elsewhere.
Tensor binary_mask(const Tensor& mask) {
  std::vector<double> values = mask.to_vector();
  for (double& value : values) value = value > 0.5 ? 1.0 : 0.0;
  return Tensor::from_values(values, {1, 1, mask.size(1), mask.size(2)});
}

}  // namespace

LpipsLinearLayers::LpipsLinearLayers(Generator& generator) {
  const std::vector<int>& channels = models::Vgg16Features::tap_channels();
  for (size_t k = 0; k < channels.size(); ++k)
    weights_.push_back(
        register_module("lin" + std::to_string(k), std::make_shared<NetLinLayer>(channels[k], generator))->weight);
}

Lpips::Lpips(Generator& generator)
    : vgg_(std::make_shared<models::Vgg16Features>(generator)),
      linear_(std::make_shared<LpipsLinearLayers>(generator)) {
  vgg_->eval();
  linear_->eval();
}

void Lpips::load_weights(const NamedTensors& weights, const std::string& source) {
  NamedTensors vgg, linear;
  for (const auto& [name, tensor] : weights) (name.rfind(kVggPrefix, 0) == 0 ? vgg : linear).emplace_back(name, tensor);
  vgg_->load_state_dict(vgg, source);
  linear_->load_state_dict(linear, source);
}

NamedTensors Lpips::state_dict() const {
  NamedTensors all = vgg_->state_dict();
  for (auto& entry : linear_->state_dict()) all.push_back(entry);
  return all;
}

Variable Lpips::distance_weighted(const Variable& x0, const Variable& x1, const Variable& weight) {
  DFORGE_CHECK(x0.shape() == x1.shape(), "LPIPS: images of different shapes ", x0.describe(), " and ", x1.describe());
  DFORGE_CHECK(x0.ndim() == 4 && x0.size(2) >= 16 && x0.size(3) >= 16, "LPIPS: expected [N, 3, H >= 16, W >= 16], got ",
               x0.describe());
  const std::vector<Variable> taps0 = vgg_->forward_taps(scaling_layer(x0));
  const std::vector<Variable> taps1 = vgg_->forward_taps(scaling_layer(x1));
  Variable total;
  for (size_t k = 0; k < taps0.size(); ++k) {
    const Variable difference = unit_normalise(taps0[k]) - unit_normalise(taps1[k]);
    const Variable map = conv2d(difference * difference, linear_->weights()[k], Variable());
    const Variable layer = spatial_mean(map, weight);
    total = total.defined() ? total + layer : layer;
  }
  return total;
}

std::unique_ptr<Lpips> load_lpips(const std::string& path) {
  const NamedTensors weights = load_metric_weights(path, "LPIPS", "--lpips-weights");
  Generator unused(0);
  auto lpips = std::make_unique<Lpips>(unused);
  lpips->load_weights(weights, path);
  return lpips;
}

LpipsRegions lpips_image(Lpips& lpips, const Tensor& a, const Tensor& b, const Tensor& mask) {
  DFORGE_CHECK(a.ndim() == 3 && a.shape() == b.shape(), "LPIPS: expected two images [C, H, W] of one shape, got ",
               a.describe(), " and ", b.describe());
  const int64_t channels = a.size(0);
  DFORGE_CHECK(channels == 1 || channels == 3 || channels == 4, "LPIPS: images need 1, 3 or 4 channels, got ",
               a.describe());
  if (mask.defined())
    DFORGE_CHECK(mask.shape() == Shape({1, a.size(1), a.size(2)}), "LPIPS: mask ", mask.describe(),
                 " does not match image ", a.describe());
  NoGradGuard no_grad;
  // (first channel, repeat it) of each scored view: RGB, or gray / backlight repeated to 3 channels.
  std::vector<std::pair<int, bool>> views;
  if (channels != 1) views.emplace_back(0, false);
  if (channels != 3) views.emplace_back(channels == 1 ? 0 : 3, true);
  Variable inside, outside;
  if (mask.defined()) {
    inside = Variable(binary_mask(mask));
    outside = 1.0 - inside;
  }
  const double share = 1.0 / double(views.size());
  LpipsRegions regions;
  for (const auto& [first, repeat] : views) {
    const Variable x0 = lpips_input(a, first, repeat), x1 = lpips_input(b, first, repeat);
    regions.all += share * lpips.distance(x0, x1).item();
    if (!mask.defined()) continue;
    regions.inside += share * lpips.distance_weighted(x0, x1, inside).item();
    regions.outside += share * lpips.distance_weighted(x0, x1, outside).item();
  }
  if (!mask.defined()) regions.inside = regions.outside = std::numeric_limits<double>::quiet_NaN();
  return regions;
}

}  // namespace dforge::metrics
