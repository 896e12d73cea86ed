// Evaluation of a trained inspector on a dataset's test split (apps/inspect/inspect_data.h: normal
// test/good vs real defects test/<defect>), with the detection metrics of metrics/detection.h:
// image AUROC, F1 at the decision threshold and the best F1 over all thresholds, DR and FAR (an
// image is called defective when its score >= the threshold), and, for inspectors that produce
// anomaly maps (the autoencoder, the segmenter), pixel AUROC and the best pixel F1 over all
// thresholds against the defect masks. For the segmenter, whose maps are defect probabilities and
// whose score is their maximum, the threshold also segments: mIoU (and the defect-class IoU) of
// the pixels >= threshold, as metrics/detection.h defines them. A `dforge train pseudo` checkpoint
// is evaluated as a segmenter (apps/inspect/pseudo_checkpoint.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/commands/progress_bar.h"
#include "apps/inspect/inspect_config.h"
#include "data/dataset.h"
#include "metrics/detection.h"
#include "models/inspect/inspector.h"
#include "runtime/device.h"

namespace dforge::apps {

struct InspectEvalOptions {
  std::string checkpoint;          // RUN/checkpoint.safetensors
  std::string data;                // its test images
  std::string kind;                // when not empty, must be the checkpoint's kind
  std::optional<double> threshold; // default: the checkpoint's (0.5, or calibrated in training)
  Device device = Device::cpu();
  int workers = 2;
  bool progress = true;
};

struct InspectEvaluation {
  std::string kind;
  int64_t images = 0;
  double threshold = 0.5;
  double image_auroc = 0;
  metrics::F1Score f1, best_f1;
  metrics::DetectionRates rates;
  // inspectors with anomaly maps
  std::optional<double> pixel_auroc;
  std::optional<metrics::F1Score> pixel_best_f1;
  // inspectors whose maps are probabilities (InspectorKind::segments), at the threshold
  std::optional<metrics::IouResult> iou;
};

InspectEvaluation evaluate_inspector(const InspectEvalOptions& options);

// What an inspector says of every image of a labelled dataset, in dataset order.
struct InspectorScores {
  std::vector<double> scores;   // higher: more likely defective
  std::vector<int> labels;      // 0 normal, 1 defective
  std::vector<Tensor> maps;     // per image [1, H, W], for inspectors with anomaly maps
  std::vector<Tensor> masks;    // the matching true masks
};

// Runs `inspector` (left in eval mode) over `images` resized as in training (config.size). The
// progress bar, when given, counts images.
InspectorScores score_images(models::Inspector& inspector, std::shared_ptr<const data::Dataset> images,
                             const InspectConfig& config, Device device, int workers, ProgressBar* bar = nullptr);

nlohmann::json to_json(const InspectEvaluation& evaluation);
// The report `dforge inspect eval` prints, several lines.
std::string format_evaluation(const InspectEvaluation& evaluation);

}  // namespace dforge::apps
