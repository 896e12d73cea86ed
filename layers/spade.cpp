#include "layers/spade.h"

#include "autograd/elementwise.h"
#include "autograd/norm.h"
#include "autograd/resize.h"
#include "layers/activations.h"
#include "runtime/error.h"

namespace dforge {

Spade::Spade(int channels, int label_channels, Generator& generator, SpadeNorm norm, int hidden, int kernel_size) {
  if (norm == SpadeNorm::instance) {
    param_free_norm = register_module("param_free_norm", std::make_shared<InstanceNorm2d>(channels, 1e-5, false));
  } else {
    param_free_norm = register_module("param_free_norm", std::make_shared<BatchNorm2d>(channels, 1e-5, 0.1, false));
  }
  const Conv2dOptions same{.padding = kernel_size / 2};
  mlp_shared = register_module("mlp_shared", std::make_shared<Sequential>());
  mlp_shared->add(std::make_shared<Conv2d>(label_channels, hidden, kernel_size, same, generator));
  mlp_shared->add(std::make_shared<ReLU>());
  mlp_gamma = register_module("mlp_gamma", std::make_shared<Conv2d>(hidden, channels, kernel_size, same, generator));
  mlp_beta = register_module("mlp_beta", std::make_shared<Conv2d>(hidden, channels, kernel_size, same, generator));
}

Variable Spade::forward(const Variable& x, const Variable& segmap) {
  DFORGE_CHECK(x.ndim() == 4 && segmap.ndim() == 4 && x.size(0) == segmap.size(0), "SPADE: input ", x.describe(),
               " and map ", segmap.describe(), " must be 4-D with the same batch size");
  Variable normalized = param_free_norm->forward(x);
  Variable map = upsample(segmap, int(x.size(2)), int(x.size(3)), UpsampleMode::nearest);
  Variable features = mlp_shared->forward(map);
  return normalized * (1.0 + mlp_gamma->forward(features)) + mlp_beta->forward(features);
}

OdSpade::OdSpade(int channels, int code_dim, int height, int width, Generator& generator)
    : height_(height), width_(width) {
  fc = register_module("fc", std::make_shared<Linear>(code_dim, height * width, true, generator));
  const Conv2dOptions same_no_bias{.padding = 1, .bias = false};
  shared = register_module("shared", std::make_shared<Sequential>());
  shared->add(std::make_shared<Conv2d>(1, 3, 3, same_no_bias, generator));
  shared->add(std::make_shared<LeakyReLU>(0.2));
  gamma = register_module("gamma", std::make_shared<Conv2d>(3, channels, 3, same_no_bias, generator));
  beta = register_module("beta", std::make_shared<Conv2d>(3, channels, 3, same_no_bias, generator));
}

Variable OdSpade::forward(const Variable& x, const Variable& code) {
  DFORGE_CHECK(x.ndim() == 4 && x.size(2) == height_ && x.size(3) == width_, "OD-SPADE: input ", x.describe(),
               " should be [N, C, ", height_, ", ", width_, "]");
  // eps 1e-5 added to the variance; the reference code has none (MODELS.md).
  Variable normalized = channel_norm(x, 1e-5);
  Variable map = reshape(fc->forward(code), {code.size(0), 1, height_, width_});
  Variable features = shared->forward(map);
  return gamma->forward(features) * normalized + beta->forward(features);
}

}  // namespace dforge
