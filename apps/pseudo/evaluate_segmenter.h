// Evaluation of a trained pseudo segmenter on real defects (paper 004, Sec. 3, Table 1): every
// image of <surface>/test/good and <surface>/test/<defect> (with ground_truth masks) of an MVTec
// AD tree, segmented whole. Reported:
//   DR, FAR   eqs. (2), (3). Image decision rule: an image is detected as defective when at least
//             min_pixels pixels of its probability map are >= threshold (default 0.5 and 1 pixel,
//             the plain reading of a binary segmentation output); metrics/detection.h.
//   mIoU      binary mean IoU (defect and background) over all test pixels at the threshold, and
//             the defect-class IoU alone (metrics/detection.h explains the choice).
//   pixel AUROC and F1: threshold-free AUROC over all pixels; F1 at the threshold and the best F1
//             over all thresholds.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/detection.h"
#include "runtime/device.h"

namespace dforge::apps {

struct SegmenterEvalOptions {
  std::string checkpoint;             // RUN/checkpoint.safetensors of `dforge train pseudo`
  std::string data;                   // MVTec AD tree
  std::vector<std::string> surfaces;  // empty: all
  double threshold = 0.5;
  int64_t min_pixels = 1;
  Device device = Device::cpu();
  bool progress = true;
};

struct SegmenterEvaluation {
  int64_t images = 0;
  metrics::DetectionRates rates;
  metrics::IouResult iou;
  double pixel_auroc = 0;
  metrics::F1Score f1_at_threshold, best_f1;
  double threshold = 0.5;
  int64_t min_pixels = 1;
};

// Throws naming the file when the checkpoint is not a pseudo run's, or an image's side is not
// divisible by the U-Net's 2^num_downs.
SegmenterEvaluation evaluate_segmenter(const SegmenterEvalOptions& options);

void print_segmenter_evaluation(const SegmenterEvaluation& evaluation, std::FILE* out);
nlohmann::json to_json(const SegmenterEvaluation& evaluation);

}  // namespace dforge::apps
