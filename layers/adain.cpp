#include "layers/adain.h"

#include "autograd/elementwise.h"
#include "autograd/shape_ops.h"
#include "runtime/error.h"

namespace dforge {

AdaIN::AdaIN(int style_dim, int channels, Generator& generator) : channels_(channels) {
  norm = register_module("norm", std::make_shared<InstanceNorm2d>(channels, 1e-5, false));
  fc = register_module("fc", std::make_shared<Linear>(style_dim, 2 * channels, true, generator));
}

Variable AdaIN::forward(const Variable& x, const Variable& style) {
  DFORGE_CHECK(x.ndim() == 4 && x.size(1) == channels_, "AdaIN: input ", x.describe(), " should be [N, ",
               channels_, ", H, W]");
  Variable h = reshape(fc->forward(style), {style.size(0), 2 * channels_, 1, 1});
  Variable gamma = slice(h, 1, 0, channels_);
  Variable beta = slice(h, 1, channels_, 2 * channels_);
  return (1.0 + gamma) * norm->forward(x) + beta;
}

}  // namespace dforge
