#include "models/seggan/mask_weight.h"

#include "autograd/elementwise.h"
#include "autograd/grad_mode.h"
#include "autograd/pool.h"
#include "models/nets/patchgan.h"
#include "runtime/error.h"

namespace dforge::models {

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
