// AUROC, F1, DR / FAR and mIoU on small hand-checked cases.
#include <catch2/catch.hpp>

#include <cmath>

#include "metrics/detection.h"
#include "runtime/error.h"

using namespace dforge;
using namespace dforge::metrics;

namespace {

// Scores with ties: 0.9(+) 0.8(+) 0.8(-) 0.5(+) 0.5(-) 0.1(-).
const std::vector<double> kScores = {0.9, 0.8, 0.8, 0.5, 0.5, 0.1};
const std::vector<int> kLabels = {1, 1, 0, 1, 0, 0};

}  // namespace

TEST_CASE("roc_auc counts tied pairs as half, like Mann-Whitney U", "[metrics][detection]") {
  // Positive 0.9 beats 3 negatives, 0.8 beats 2 and ties 1, 0.5 beats 1 and ties 1: (3 + 2.5 + 1.5) / 9.
  CHECK(roc_auc(kScores, kLabels) == Approx(7.0 / 9.0).epsilon(1e-15));
  // The order of the input does not matter.
  CHECK(roc_auc({0.1, 0.5, 0.5, 0.8, 0.8, 0.9}, {0, 0, 1, 0, 1, 1}) == Approx(7.0 / 9.0).epsilon(1e-15));
}

TEST_CASE("roc_auc edge cases: all ties, separated, reversed, one class", "[metrics][detection]") {
  CHECK(roc_auc({0.3, 0.3, 0.3, 0.3}, {1, 0, 0, 1}) == 0.5);
  CHECK(roc_auc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}) == 1.0);
  CHECK(roc_auc({0.1, 0.2, 0.8, 0.9}, {1, 1, 0, 0}) == 0.0);
  CHECK(roc_auc({0.0, 1.0}, {0, 1}) == 1.0);
  CHECK_THROWS_WITH(roc_auc({0.1, 0.2}, {1, 1}), Catch::Contains("only one class"));
  CHECK_THROWS_WITH(roc_auc({0.1, 0.2}, {0, 0}), Catch::Contains("only one class"));
  CHECK_THROWS_WITH(roc_auc({0.1, 0.2}, {0, 2}), Catch::Contains("label 1 is 2"));
  CHECK_THROWS_WITH(roc_auc({0.1}, {0, 1}), Catch::Contains("1 scores but 2 labels"));
  CHECK_THROWS_WITH(roc_auc({NAN, 0.2}, {0, 1}), Catch::Contains("NaN"));
}

TEST_CASE("pixel_roc_auc pools every pixel of every map", "[metrics][detection]") {
  const std::vector<Tensor> maps = {Tensor::from_values({0.9, 0.8, 0.8}, {1, 1, 3}),
                                    Tensor::from_values({0.5, 0.5, 0.1}, {1, 3})};
  const std::vector<Tensor> masks = {Tensor::from_values({1, 1, 0}, {1, 1, 3}), Tensor::from_values({1, 0, 0}, {1, 3})};
  CHECK(pixel_roc_auc(maps, masks) == Approx(7.0 / 9.0).epsilon(1e-7));
  CHECK_THROWS_WITH(pixel_roc_auc(maps, {masks[0], Tensor::zeros({1, 4})}), Catch::Contains("map 1"));
}

TEST_CASE("pixel_roc_auc scales to a million pixels", "[metrics][detection]") {
  // Scores i / n with labels (i % 4 == 0): every positive's rank is known, AUC by formula.
  const int64_t n = 1 << 20;
  Tensor map = Tensor::empty({1, 1024, 1024}), mask = Tensor::empty({1, 1024, 1024});
  int64_t positives = 0;
  double wins = 0;  // sum over positives of the negatives below them
  for (int64_t i = 0; i < n; ++i) {
    map.data<float>()[i] = float(i) / float(n);
    const bool positive = i % 4 == 0;
    mask.data<float>()[i] = positive ? 1.f : 0.f;
    if (positive) wins += double(i - positives), positives += 1;
  }
  const double negatives = double(n - positives);
  CHECK(pixel_roc_auc({map}, {mask}) == Approx(wins / (double(positives) * negatives)).epsilon(1e-12));
}

TEST_CASE("F1 at a threshold and the best F1 over thresholds", "[metrics][detection]") {
  // >= 0.5: tp 3, fp 2, fn 0: F1 = 6 / 8.
  const F1Score at = f1_at_threshold(kScores, kLabels, 0.5);
  CHECK(at.f1 == Approx(0.75));
  CHECK(at.precision == Approx(0.6));
  CHECK(at.recall == 1.0);
  // Thresholds 0.9, 0.8, 0.5, 0.1 give F1 2/4, 4/6, 6/8, 6/9.
  const F1Score best = best_f1(kScores, kLabels);
  CHECK(best.f1 == Approx(0.75));
  CHECK(best.threshold == 0.5);
  CHECK(best.true_positives == 3);
  CHECK(best.false_positives == 2);
  // No prediction above the threshold: F1 0, not NaN.
  CHECK(f1_at_threshold(kScores, kLabels, 2.0).f1 == 0.0);
  // A tie in F1 keeps the lowest threshold: thresholds 0.9 (tp1 fp0 fn1: 2/3) and 0.4 (tp2 fp2: 4/6).
  CHECK(best_f1({0.9, 0.6, 0.5, 0.4}, {1, 0, 0, 1}).threshold == 0.4);
  CHECK_THROWS_WITH(best_f1({0.1, 0.2}, {0, 0}), Catch::Contains("no positive label"));
}

TEST_CASE("DR and FAR follow paper 004 eqs. (2) and (3)", "[metrics][detection]") {
  const DetectionRates rates = detection_rates({1, 1, 1, 0, 0}, {1, 0, 1, 1, 0});
  CHECK(rates.detection_rate == Approx(2.0 / 3.0));
  CHECK(rates.false_alarm_rate == Approx(0.5));
  CHECK(rates.defective == 3);
  CHECK(rates.false_alarms == 1);
  CHECK(std::isnan(detection_rates({0, 0}, {1, 0}).detection_rate));
  CHECK_THROWS_WITH(detection_rates({1}, {1, 0}), Catch::Contains("1 labels but 2 decisions"));
}

TEST_CASE("image decisions and labels from maps and masks", "[metrics][detection]") {
  const std::vector<Tensor> maps = {Tensor::from_values({0.9, 0.2, 0.6, 0.1}, {1, 2, 2}),
                                    Tensor::from_values({0.1, 0.2, 0.3, 0.4}, {1, 2, 2})};
  CHECK(image_decisions(maps) == std::vector<int>{1, 0});
  CHECK(image_decisions(maps, 0.5, 3) == std::vector<int>{0, 0});
  CHECK(image_decisions(maps, 0.3, 2) == std::vector<int>{1, 1});
  CHECK(image_labels({Tensor::zeros({1, 2, 2}), Tensor::from_values({0, 0.7, 0, 0}, {1, 2, 2})}) ==
        std::vector<int>{0, 1});
}

TEST_CASE("mean IoU of the defect and background classes, pooled over images", "[metrics][detection]") {
  // Image 1: predicted {0, 2}, true {0, 1}: tp 1, fp 1, fn 1, tn 1. Image 2: all background, tn 4.
  const std::vector<Tensor> predictions = {Tensor::from_values({0.9, 0.2, 0.6, 0.1}, {1, 2, 2}),
                                           Tensor::zeros({1, 2, 2})};
  const std::vector<Tensor> masks = {Tensor::from_values({1, 1, 0, 0}, {1, 2, 2}), Tensor::zeros({1, 2, 2})};
  const IouResult iou = mean_iou(predictions, masks);
  CHECK(iou.defect == Approx(1.0 / 3.0));
  CHECK(iou.background == Approx(5.0 / 7.0));
  CHECK(iou.mean == Approx((1.0 / 3.0 + 5.0 / 7.0) / 2));
  // No defect anywhere, none predicted: the defect IoU is undefined, the mean is the background's.
  const IouResult clean = mean_iou({Tensor::zeros({1, 2, 2})}, {Tensor::zeros({1, 2, 2})});
  CHECK(std::isnan(clean.defect));
  CHECK(clean.mean == 1.0);
}
