// FID and KID between two folders of images, with pytorch-fid's InceptionV3 (models/nets/
// inception_v3.h) and the distances of metrics/frechet_distance.h.
//
// Each image ([C, H, W] in [0, 1] as read from the file) becomes an RGB image: 3 channels as they
// are, 1 (gray) or 2 (gray + alpha) the gray repeated, 4 (RGB + backlight) the RGB part -- FID is a
// statistic of the colour image the Inception network was trained on. It is resized to 299x299
// (bilinear, align_corners false) and run through the network in batches; its 2048-d pool features
// go into the statistics in f64. Both folders need at least 2 images; pytorch-fid's advice holds:
// FID is biased for small sets, compare values only over sets of the same size (>= 2048 for
// the published scale).
//
// Weights: load_fid_inception reads a safetensors file written by tools/export_metric_weights.py and
// throws a one-line error naming that tool when there is none -- never a random network.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "metrics/frechet_distance.h"
#include "models/nets/inception_v3.h"

namespace dforge::metrics {

std::unique_ptr<models::InceptionV3Fid> load_fid_inception(const std::string& path);

// The RGB [3, H, W] that FID scores for an image of 1-4 channels (see above).
Tensor fid_rgb(const Tensor& image);

// f64 [n, 2048]: the pool features of the images, `batch_size` at a time.
Tensor inception_features(models::InceptionV3Fid& network, const std::vector<Tensor>& images, int batch_size = 8);

struct FidOptions {
  int batch_size = 8;
  std::optional<KidOptions> kid;  // KID as well when set
};
struct FidResult {
  double fid = 0;
  std::optional<KidResult> kid;
  int64_t real_images = 0, fake_images = 0;
};

// FID (and KID) of the images in `fake_dir` against those in `real_dir` (data/files.h's listing).
FidResult evaluate_fid(models::InceptionV3Fid& network, const std::string& real_dir, const std::string& fake_dir,
                       const FidOptions& options = {});

}  // namespace dforge::metrics
