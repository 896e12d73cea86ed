// Image similarity inside and outside a mask: L1, L2 and SSIM between two images, as paper 000
// (section V-A, Table II) reports them for (x, G(x)) inside the defect mask and outside it.
//
// Images are f32 [C, H, W] on the CPU (any device is copied to the host), values in [0, data_range].
// The mask is [1, H, W]; a pixel is inside when its mask value is > 0.5. L1 and L2 are the mean
// absolute and mean squared difference over the region's pixels and all channels.
//
// SSIM follows scikit-image's structural_similarity(gaussian_weights=True, sigma=1.5,
// use_sample_covariance=False, data_range=R, channel_axis=0) exactly: per channel, local means,
// variances and covariance from an 11-tap Gaussian filter (sigma 1.5, truncate 3.5, normalised)
// applied separably with scipy's 'reflect' border (d c b a | a b c d); the SSIM map
//   S = (2 mu_x mu_y + C1)(2 sigma_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2)),
//   C1 = (0.01 R)^2, C2 = (0.03 R)^2   (Wang et al. 2004, eq. 13)
// is averaged over channels, then cropped by 5 pixels on every side (skimage's (win_size-1)//2)
// because the window there reaches past the border. The whole-image SSIM is the mean of the cropped
// map; inside / outside SSIM are the means of the same cropped map over the mask's pixels that lie
// in the crop. ssim_map needs H, W >= 11, like skimage; masked_image_metrics gives NaN SSIM (no
// pixel is left after the crop) for a smaller image and still computes L1 and L2.
//
// A region without pixels (no defect pixel for "inside", a full mask for "outside", a mask whose
// pixels all lie in the cropped border for SSIM) gives NaN, never an error. Without a mask only
// `all` is computed; inside and outside are NaN.
#pragma once

#include "runtime/tensor.h"

namespace dforge::metrics {

struct RegionMetrics {
  double l1 = 0, l2 = 0, ssim = 0;  // NaN when the region has no pixels
};

struct MaskedImageMetrics {
  RegionMetrics all, inside, outside;
};

struct SsimOptions {
  double data_range = 1.0;
  double k1 = 0.01, k2 = 0.03;
  double sigma = 1.5;  // the window is 2 * int(3.5 sigma + 0.5) + 1 = 11 taps wide
};

// Per-pixel SSIM map averaged over channels, [H, W] f64, before cropping. Throws naming both
// shapes when `a` and `b` differ, or when the image is smaller than the window.
Tensor ssim_map(const Tensor& a, const Tensor& b, const SsimOptions& options = {});

// The border ssim_map's mean leaves out on each side: (window - 1) / 2.
int ssim_crop(const SsimOptions& options = {});

// L1, L2 and SSIM over the whole image, inside the mask and outside it. `mask` may be undefined.
MaskedImageMetrics masked_image_metrics(const Tensor& a, const Tensor& b, const Tensor& mask,
                                        const SsimOptions& options = {});

}  // namespace dforge::metrics
