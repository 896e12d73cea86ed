#include "apps/inspect/eval_inspector.h"

#include <cmath>
#include <cstdio>

#include "apps/commands/progress_bar.h"
#include "apps/inspect/inspect_data.h"
#include "apps/inspect/inspector_checkpoint.h"
#include "apps/inspect/inspector_kinds.h"
#include "apps/report/image_grid.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

nlohmann::json number(double value) { return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value); }

nlohmann::json f1_json(const metrics::F1Score& f1) {
  return {{"f1", f1.f1}, {"precision", f1.precision}, {"recall", f1.recall}, {"threshold", f1.threshold}};
}

// Pixel scores and 0/1 labels of all maps, for the pixel F1.
void pixels_of(const std::vector<Tensor>& maps, const std::vector<Tensor>& masks, std::vector<double>& scores,
               std::vector<int>& labels) {
  for (size_t i = 0; i < maps.size(); ++i) {
    for (double value : maps[i].to_vector()) scores.push_back(value);
    for (double value : masks[i].to_vector()) labels.push_back(value > 0.5 ? 1 : 0);
  }
}

void add_pixel_metrics(InspectEvaluation& evaluation, const std::vector<Tensor>& maps,
                       const std::vector<Tensor>& masks, bool segments) {
  std::vector<double> scores;
  std::vector<int> labels;
  pixels_of(maps, masks, scores, labels);
  evaluation.pixel_auroc = metrics::pixel_roc_auc(maps, masks);
  evaluation.pixel_best_f1 = metrics::best_f1(scores, labels);
  if (segments) evaluation.iou = metrics::mean_iou(maps, masks, evaluation.threshold);
}

}  // namespace

InspectorScores score_images(models::Inspector& inspector, std::shared_ptr<const data::Dataset> images,
                             const InspectConfig& config, Device device, int workers, ProgressBar* bar) {
  const bool segments = find_inspector_kind(config.kind).segments;
  const int64_t stride = int64_t(1) << config.unet_downs;
  inspector.to(device);
  inspector.eval();
  data::LoaderOptions loader_options;
  loader_options.batch_size = config.batch;
  loader_options.shuffle = false;
  loader_options.workers = workers;
  data::Loader loader(images, inspect_transforms(config.size, false), loader_options);
  InspectorScores result;
  while (std::optional<data::Batch> batch = loader.next()) {
    DFORGE_CHECK(!segments || (batch->images.size(2) % stride == 0 && batch->images.size(3) % stride == 0),
                 batch->paths.front(), ": image is ", batch->images.size(3), "x", batch->images.size(2),
                 "; the segmenter needs sides divisible by ", stride);
    models::Inspection inspection = inspector.inspect(batch->images.to(device));
    const std::vector<double> batch_labels = batch->labels.to_vector();
    for (int64_t i = 0; i < batch->size(); ++i) {
      result.scores.push_back(inspection.scores.at(size_t(i)));
      result.labels.push_back(int(batch_labels[size_t(i)]));
      if (inspection.maps.defined()) {
        result.maps.push_back(batch_image(inspection.maps, i));
        result.masks.push_back(batch_image(batch->masks, i));
      }
    }
    if (bar) bar->update(int64_t(result.scores.size()), images->size());
  }
  if (bar) bar->finish(int64_t(result.scores.size()), images->size());
  return result;
}

InspectEvaluation evaluate_inspector(const InspectEvalOptions& options) {
  LoadedInspector loaded = load_inspector_checkpoint(options.checkpoint);
  const InspectConfig& config = loaded.state.config;
  DFORGE_CHECK(options.kind.empty() || options.kind == config.kind, "inspect eval: --kind ", options.kind, " but ",
               options.checkpoint, " holds kind ", config.kind);
  auto test = open_test_images(options.data);
  DFORGE_CHECK(test->channels() == config.channels, options.data, ": test images have ", test->channels(),
               " channels, the inspector was trained on ", config.channels);
  ProgressBar bar("inspect eval", "images");
  const InspectorScores scored = score_images(*loaded.inspector, test, config, options.device, options.workers,
                                              options.progress ? &bar : nullptr);

  InspectEvaluation evaluation;
  evaluation.kind = config.kind;
  evaluation.images = int64_t(scored.scores.size());
  evaluation.threshold = options.threshold.value_or(loaded.state.threshold);
  evaluation.image_auroc = metrics::roc_auc(scored.scores, scored.labels);
  evaluation.f1 = metrics::f1_at_threshold(scored.scores, scored.labels, evaluation.threshold);
  evaluation.best_f1 = metrics::best_f1(scored.scores, scored.labels);
  std::vector<int> decisions;
  for (double score : scored.scores) decisions.push_back(score >= evaluation.threshold ? 1 : 0);
  evaluation.rates = metrics::detection_rates(scored.labels, decisions);
  if (!scored.maps.empty())
    add_pixel_metrics(evaluation, scored.maps, scored.masks, find_inspector_kind(config.kind).segments);
  return evaluation;
}

nlohmann::json to_json(const InspectEvaluation& e) {
  nlohmann::json document = {{"kind", e.kind},
                             {"images", e.images},
                             {"defective", e.rates.defective},
                             {"defect_free", e.rates.defect_free},
                             {"image_auroc", e.image_auroc},
                             {"threshold", e.threshold},
                             {"f1", f1_json(e.f1)},
                             {"best_f1", f1_json(e.best_f1)},
                             {"dr", number(e.rates.detection_rate)},
                             {"far", number(e.rates.false_alarm_rate)}};
  if (e.pixel_auroc) document["pixel_auroc"] = *e.pixel_auroc;
  if (e.pixel_best_f1) document["pixel_best_f1"] = f1_json(*e.pixel_best_f1);
  if (e.iou) {
    document["miou"] = number(e.iou->mean);
    document["iou_defect"] = number(e.iou->defect);
    document["iou_background"] = number(e.iou->background);
  }
  return document;
}

std::string format_evaluation(const InspectEvaluation& e) {
  char text[1024];
  int length = std::snprintf(
      text, sizeof text,
      "inspect eval (%s): %lld images (%lld defective, %lld defect-free)\n"
      "  image AUROC        %.4f\n"
      "  F1 at %-12g %.4f (precision %.4f, recall %.4f)\n"
      "  best F1            %.4f at threshold %g\n"
      "  DR / FAR at %-6g %.4f / %.4f\n",
      e.kind.c_str(), (long long)e.images, (long long)e.rates.defective, (long long)e.rates.defect_free,
      e.image_auroc, e.threshold, e.f1.f1, e.f1.precision, e.f1.recall, e.best_f1.f1, e.best_f1.threshold,
      e.threshold, e.rates.detection_rate, e.rates.false_alarm_rate);
  std::string report(text, size_t(length));
  if (e.pixel_auroc) {
    std::snprintf(text, sizeof text, "  pixel AUROC        %.4f\n", *e.pixel_auroc);
    report += text;
  }
  if (e.pixel_best_f1) {
    std::snprintf(text, sizeof text, "  best pixel F1      %.4f at threshold %g\n", e.pixel_best_f1->f1,
                  e.pixel_best_f1->threshold);
    report += text;
  }
  if (e.iou) {
    std::snprintf(text, sizeof text, "  mIoU at %-10g %.4f (defect IoU %.4f, background %.4f)\n", e.threshold,
                  e.iou->mean, e.iou->defect, e.iou->background);
    report += text;
  }
  return report;
}

}  // namespace dforge::apps
