#include "models/seggan/mask_weight.h"

#include "autograd/elementwise.h"
#include "autograd/grad_mode.h"
#include "autograd/pool.h"
#include "runtime/error.h"

namespace dforge::models {

PatchWindow patchgan_window(int n_layers) {
  DFORGE_CHECK(n_layers >= 1, "patchgan_window: n_layers must be positive, got ", n_layers);
  struct Layer { int kernel, stride, padding; };
  std::vector<Layer> layers(n_layers, Layer{4, 2, 1});
  layers.push_back({4, 1, 1});
  layers.push_back({4, 1, 1});
  // Walking forward: output pixel 0 of a layer sees `size` input pixels from `offset`, and
  // neighbouring outputs are `stride` input pixels apart.
  PatchWindow window;
  for (const Layer& layer : layers) {
    window.offset -= layer.padding * window.stride;
    window.size += (layer.kernel - 1) * window.stride;
    window.stride *= layer.stride;
  }
  return window;
}

Variable patch_mask_weights(const Variable& masks, int n_layers, double lambda_clip) {
  DFORGE_CHECK(masks.ndim() == 4 && masks.size(1) == 1, "patch_mask_weights: masks must be [N, 1, H, W], got ",
               masks.describe());
  NoGradGuard no_grad;
  PatchWindow window = patchgan_window(n_layers);
  // count_include_pad: the padding holds no defect pixels but is part of the window.
  Variable fraction = avg_pool2d(masks.detach(), window.size, window.stride, -window.offset, true);
  return maximum(fraction, constant(lambda_clip, fraction));
}

}  // namespace dforge::models
