// AUROC, F1, DR / FAR and mIoU (definitions in detection.h).
#include "metrics/detection.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/error.h"

namespace dforge::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Scored {
  double score;
  bool positive;
};

// Pairs scores with labels, checking sizes, label values and NaN scores.
std::vector<Scored> scored_labels(const char* op, const std::vector<double>& scores, const std::vector<int>& labels) {
  DFORGE_CHECK(scores.size() == labels.size(), op, ": ", scores.size(), " scores but ", labels.size(), " labels");
  DFORGE_CHECK(!scores.empty(), op, ": no scores");
  std::vector<Scored> items(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) {
    DFORGE_CHECK(labels[i] == 0 || labels[i] == 1, op, ": label ", i, " is ", labels[i], ", labels must be 0 or 1");
    DFORGE_CHECK(!std::isnan(scores[i]), op, ": score ", i, " is NaN");
    items[i] = {scores[i], labels[i] == 1};
  }
  return items;
}

void sort_descending(std::vector<Scored>& items) {
  std::sort(items.begin(), items.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
}

// Calls visit(threshold, tp, fp) after each group of tied scores, from the highest score down:
// tp and fp count the items with score >= threshold. `items` must be sorted descending.
template <typename Visit>
void for_each_threshold(const std::vector<Scored>& items, Visit visit) {
  int64_t tp = 0, fp = 0;
  size_t i = 0;
  while (i < items.size()) {
    const double threshold = items[i].score;
    for (; i < items.size() && items[i].score == threshold; ++i) (items[i].positive ? tp : fp) += 1;
    visit(threshold, tp, fp);
  }
}

int64_t count_positive(const std::vector<Scored>& items) {
  return std::count_if(items.begin(), items.end(), [](const Scored& item) { return item.positive; });
}

// The ROC area by the trapezoid rule over tied groups (one step per group), kept exact: twice the
// area in integer units, divided by 2 P N once at the end.
double auc_of(const char* op, std::vector<Scored>& items) {
  const int64_t positives = count_positive(items), negatives = int64_t(items.size()) - positives;
  DFORGE_CHECK(positives > 0 && negatives > 0, op, ": only one class (", positives > 0 ? "all 1" : "all 0",
               ") among ", items.size(), " labels; ROC AUC needs both");
  sort_descending(items);
  __int128 twice_area = 0;
  int64_t previous_tp = 0, previous_fp = 0;
  for_each_threshold(items, [&](double, int64_t tp, int64_t fp) {
    twice_area += __int128(fp - previous_fp) * (tp + previous_tp);
    previous_tp = tp;
    previous_fp = fp;
  });
  return double(twice_area) / (2.0 * double(positives) * double(negatives));
}

F1Score f1_from_counts(double threshold, int64_t tp, int64_t fp, int64_t positives) {
  F1Score score;
  score.threshold = threshold;
  score.true_positives = tp;
  score.false_positives = fp;
  score.false_negatives = positives - tp;
  score.precision = tp + fp > 0 ? double(tp) / double(tp + fp) : 0.0;
  score.recall = positives > 0 ? double(tp) / double(positives) : 0.0;
  const int64_t denominator = 2 * tp + fp + score.false_negatives;
  score.f1 = denominator > 0 ? 2.0 * double(tp) / double(denominator) : 0.0;
  return score;
}

// The values of a [1, H, W] or [H, W] map as f64.
std::vector<double> plane_values(const char* op, const Tensor& map, size_t index) {
  DFORGE_CHECK(map.defined() && (map.ndim() == 2 || (map.ndim() == 3 && map.size(0) == 1)), op, ": map ", index,
               " must be [1, H, W] or [H, W], got ", map.defined() ? shape_str(map.shape()) : "undefined");
  return map.to_vector();
}

void check_pairs(const char* op, const std::vector<Tensor>& maps, const std::vector<Tensor>& masks) {
  DFORGE_CHECK(maps.size() == masks.size(), op, ": ", maps.size(), " maps but ", masks.size(), " masks");
  DFORGE_CHECK(!maps.empty(), op, ": no maps");
  for (size_t i = 0; i < maps.size(); ++i)
    DFORGE_CHECK(maps[i].defined() && masks[i].defined() && maps[i].numel() == masks[i].numel() &&
                     maps[i].size(-1) == masks[i].size(-1),
                 op, ": map ", i, " is ", maps[i].defined() ? shape_str(maps[i].shape()) : "undefined", ", its mask ",
                 masks[i].defined() ? shape_str(masks[i].shape()) : "undefined");
}

double ratio_or_nan(int64_t part, int64_t whole) { return whole > 0 ? double(part) / double(whole) : kNaN; }

}  // namespace

double roc_auc(const std::vector<double>& scores, const std::vector<int>& labels) {
  std::vector<Scored> items = scored_labels("roc_auc", scores, labels);
  return auc_of("roc_auc", items);
}

double pixel_roc_auc(const std::vector<Tensor>& score_maps, const std::vector<Tensor>& masks) {
  check_pairs("pixel_roc_auc", score_maps, masks);
  std::vector<Scored> items;
  int64_t pixels = 0;
  for (const Tensor& map : score_maps) pixels += map.numel();
  items.reserve(size_t(pixels));
  for (size_t i = 0; i < score_maps.size(); ++i) {
    const std::vector<double> scores = plane_values("pixel_roc_auc", score_maps[i], i);
    const std::vector<double> truth = plane_values("pixel_roc_auc", masks[i], i);
    for (size_t p = 0; p < scores.size(); ++p) {
      DFORGE_CHECK(!std::isnan(scores[p]), "pixel_roc_auc: map ", i, " has a NaN score at pixel ", p);
      items.push_back({scores[p], truth[p] > 0.5});
    }
  }
  return auc_of("pixel_roc_auc", items);
}

F1Score f1_at_threshold(const std::vector<double>& scores, const std::vector<int>& labels, double threshold) {
  const std::vector<Scored> items = scored_labels("f1_at_threshold", scores, labels);
  int64_t tp = 0, fp = 0;
  for (const Scored& item : items)
    if (item.score >= threshold) (item.positive ? tp : fp) += 1;
  return f1_from_counts(threshold, tp, fp, count_positive(items));
}

F1Score best_f1(const std::vector<double>& scores, const std::vector<int>& labels) {
  std::vector<Scored> items = scored_labels("best_f1", scores, labels);
  const int64_t positives = count_positive(items);
  DFORGE_CHECK(positives > 0, "best_f1: no positive label among ", items.size(), "; F1 is undefined");
  sort_descending(items);
  F1Score best;
  best.f1 = -1;
  for_each_threshold(items, [&](double threshold, int64_t tp, int64_t fp) {
    const F1Score score = f1_from_counts(threshold, tp, fp, positives);
    if (score.f1 >= best.f1) best = score;  // >=: the lowest threshold wins a tie
  });
  return best;
}

DetectionRates detection_rates(const std::vector<int>& labels, const std::vector<int>& decisions) {
  DFORGE_CHECK(labels.size() == decisions.size(), "detection_rates: ", labels.size(), " labels but ",
               decisions.size(), " decisions");
  DetectionRates rates;
  for (size_t i = 0; i < labels.size(); ++i) {
    DFORGE_CHECK(labels[i] == 0 || labels[i] == 1, "detection_rates: label ", i, " is ", labels[i], ", must be 0 or 1");
    DFORGE_CHECK(decisions[i] == 0 || decisions[i] == 1, "detection_rates: decision ", i, " is ", decisions[i],
                 ", must be 0 or 1");
    if (labels[i] == 1) {
      rates.defective += 1;
      rates.detected += decisions[i];
    } else {
      rates.defect_free += 1;
      rates.false_alarms += decisions[i];
    }
  }
  rates.detection_rate = ratio_or_nan(rates.detected, rates.defective);
  rates.false_alarm_rate = ratio_or_nan(rates.false_alarms, rates.defect_free);
  return rates;
}

std::vector<int> image_decisions(const std::vector<Tensor>& score_maps, double threshold, int64_t min_pixels) {
  std::vector<int> decisions;
  for (size_t i = 0; i < score_maps.size(); ++i) {
    const std::vector<double> scores = plane_values("image_decisions", score_maps[i], i);
    const int64_t hits = std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= threshold; });
    decisions.push_back(hits >= min_pixels ? 1 : 0);
  }
  return decisions;
}

std::vector<int> image_labels(const std::vector<Tensor>& masks) {
  std::vector<int> labels;
  for (size_t i = 0; i < masks.size(); ++i) {
    const std::vector<double> values = plane_values("image_labels", masks[i], i);
    labels.push_back(std::any_of(values.begin(), values.end(), [](double v) { return v > 0.5; }) ? 1 : 0);
  }
  return labels;
}

IouResult mean_iou(const std::vector<Tensor>& predictions, const std::vector<Tensor>& masks, double threshold) {
  check_pairs("mean_iou", predictions, masks);
  int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  for (size_t i = 0; i < predictions.size(); ++i) {
    const std::vector<double> predicted = plane_values("mean_iou", predictions[i], i);
    const std::vector<double> truth = plane_values("mean_iou", masks[i], i);
    for (size_t p = 0; p < predicted.size(); ++p) {
      const bool said = predicted[p] >= threshold, is = truth[p] > 0.5;
      (said ? (is ? tp : fp) : (is ? fn : tn)) += 1;
    }
  }
  IouResult result;
  result.defect = ratio_or_nan(tp, tp + fp + fn);
  result.background = ratio_or_nan(tn, tn + fp + fn);
  const bool both = !std::isnan(result.defect) && !std::isnan(result.background);
  result.mean = both ? (result.defect + result.background) / 2 : (std::isnan(result.defect) ? result.background : result.defect);
  return result;
}

}  // namespace dforge::metrics
