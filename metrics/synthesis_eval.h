// Evaluating synthesised images against their inputs: for each image G(x) in an output folder, the
// same-named input x and its defect mask s, L1 / L2 / SSIM over the whole image, inside s and
// outside it (paper 000, section V-A and Table II), and the means over all images.
//
// Pairing, by the output image's stem <stem> (images are listed with data/files.h, sorted):
//   input:  input_dir/<stem>.<ext> (the output's extension first, then .png .jpg .jpeg .bmp)
//   mask:   masks_dir/<stem>.<ext> or masks_dir/<stem>_mask.<ext>
//   backlight companions <stem>_bl.<ext> beside an input or an output add the 4th channel, read
//   by data::Dataset exactly as the training data is (data/dataset.h).
// A missing input or mask, a size or channel-count mismatch, an unreadable file or an empty output
// folder throws dforge::Error naming the file(s).
//
// With an LPIPS network (metrics/lpips.h), each pair also gets LPIPS over the whole image and inside
// / outside its mask (mask-weighted spatial means), averaged the same NaN-skipping way.
//
// A metric that is NaN for an image (an empty mask has no "inside") is left out of that metric's
// mean, and `counts` says how many images each mean is over (a mean over no image is NaN).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/image_metrics.h"
#include "metrics/lpips.h"

namespace dforge::metrics {

struct ImageEvaluation {
  std::string name;  // the output image's file name
  MaskedImageMetrics metrics;
  std::optional<LpipsRegions> lpips = std::nullopt;  // when an LPIPS network was given
};

struct RegionCounts {
  int64_t l1 = 0, l2 = 0, ssim = 0;
};
struct MaskedImageCounts {
  RegionCounts all, inside, outside;
};

struct SynthesisEvaluation {
  std::vector<ImageEvaluation> images;
  MaskedImageMetrics mean;  // each metric's mean over the images where it is defined
  MaskedImageCounts counts; // how many images each mean is over
  std::optional<LpipsRegions> lpips;  // NaN-skipping means, when an LPIPS network was given
};

SynthesisEvaluation evaluate_synthesis(const std::string& input_dir, const std::string& output_dir,
                                       const std::string& masks_dir, const SsimOptions& options = {},
                                       Lpips* lpips = nullptr);

// The NaN-skipping means and their counts (evaluate_synthesis's `mean` and `counts`).
void average_over_images(const std::vector<ImageEvaluation>& images, MaskedImageMetrics& mean,
                         MaskedImageCounts& counts);

}  // namespace dforge::metrics
