// Paper 000's discriminator weighting (eq. 3): each patch of D_y counts in the loss by the fraction
// of defect pixels in its receptive field, clipped from below by lambda_clip:
//   w = max(lambda_clip, (1/n) sum_{i in patch} s_i).
// The printed equation says min, which contradicts the paper's own ablation (lambda_clip = 1 must
// disable the weighting: with min it would leave the fraction alone); see shared/papers/README.md.
//
// The fraction is an average pool of the mask over exactly the window each output pixel of the
// PatchGAN sees (models/nets/patchgan.h, patchgan_window): for n_layers 2 a 34-pixel window with
// stride 4 that starts 11 pixels before the image (the zero padding of the convolutions), giving
// the 62 x 62 map of D at 256 x 256.
#pragma once

#include "autograd/variable.h"

namespace dforge::models {

// Weights [N, 1, h, w] for masks [N, 1, H, W] (1 = defect), on D's output grid. Not differentiable
// (the weights are constants of the loss).
Variable patch_mask_weights(const Variable& masks, int n_layers, double lambda_clip);

}  // namespace dforge::models
