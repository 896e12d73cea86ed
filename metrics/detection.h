// Detection metrics: how well scores (per image or per pixel) separate defective from normal.
//
// Labels are 0 (normal / background) and 1 (defective / defect pixel); any other value throws.
// A score is "positive" at threshold t when score >= t (scikit-learn's convention).
//
// - roc_auc: the exact area under the ROC curve, ties as scikit-learn's roc_auc_score: tied scores
//   form one step of the curve, which equals the Mann-Whitney U with average ranks, U / (P N).
//   Sort-based, O(n log n), so pixel_roc_auc scales to millions of pixels.
// - f1_at_threshold / best_f1: F1 = 2 TP / (2 TP + FP + FN) (0 when there is no positive
//   prediction and no positive label). best_f1 tries every distinct score as the threshold, the
//   thresholds of sklearn's precision_recall_curve, and on a tie keeps the lowest threshold (the
//   first that np.argmax finds in sklearn's increasing order).
// - DR and FAR, paper 004 eqs. (2) and (3): DR = defective samples detected / defective samples,
//   FAR = defect-free samples detected as defective / defect-free samples (returned as fractions,
//   not percent). The paper leaves the image-level decision to the segmentation output; ours
//   (image_decisions): an image is detected as defective when at least `min_pixels` pixels of its
//   predicted map are >= the threshold. An image is truly defective when its mask has a pixel > 0.5.
// - mIoU: paper 004 reports "MIOU" (Table 1) without a formula. We take the standard binary
//   semantic-segmentation mean IoU over the two classes, defect and background, with the pixel
//   counts pooled over all images: IoU_c = |pred_c and true_c| / |pred_c or true_c|, mIoU = their
//   mean. Both class IoUs are returned too; the paper's low 35.5% suggests a defect-class IoU.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/tensor.h"

namespace dforge::metrics {

// Throws when both classes are not present ("roc_auc: only one class (...) among N labels").
double roc_auc(const std::vector<double>& scores, const std::vector<int>& labels);

// AUROC over every pixel of every map: score maps [1, H, W] or [H, W] (any float dtype), masks of
// the same size (defect where > 0.5). Throws naming the index and both shapes on a mismatch.
double pixel_roc_auc(const std::vector<Tensor>& score_maps, const std::vector<Tensor>& masks);

struct F1Score {
  double f1 = 0, precision = 0, recall = 0;
  double threshold = 0;
  int64_t true_positives = 0, false_positives = 0, false_negatives = 0;
};

F1Score f1_at_threshold(const std::vector<double>& scores, const std::vector<int>& labels, double threshold);
F1Score best_f1(const std::vector<double>& scores, const std::vector<int>& labels);

struct DetectionRates {
  double detection_rate = 0;    // DR, eq. (2); NaN when there is no defective sample
  double false_alarm_rate = 0;  // FAR, eq. (3); NaN when there is no defect-free sample
  int64_t defective = 0, detected = 0, defect_free = 0, false_alarms = 0;
};

// DR and FAR from true labels (1 defective) and image decisions (1 detected as defective).
DetectionRates detection_rates(const std::vector<int>& labels, const std::vector<int>& decisions);

// 1 for each map with at least `min_pixels` values >= `threshold`, else 0.
std::vector<int> image_decisions(const std::vector<Tensor>& score_maps, double threshold = 0.5,
                                 int64_t min_pixels = 1);

// 1 for each mask with a pixel > 0.5 (a defective image), else 0.
std::vector<int> image_labels(const std::vector<Tensor>& masks);

struct IouResult {
  double defect = 0, background = 0;  // NaN for a class that is in neither prediction nor truth
  double mean = 0;                    // mean of the defined class IoUs
};

// Predicted maps are defect where >= `threshold`; true masks where > 0.5.
IouResult mean_iou(const std::vector<Tensor>& predictions, const std::vector<Tensor>& masks, double threshold = 0.5);

}  // namespace dforge::metrics
