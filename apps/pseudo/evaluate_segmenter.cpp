#include "apps/pseudo/evaluate_segmenter.h"

#include <algorithm>
#include <cmath>

#include "apps/commands/progress_bar.h"
#include "data/mvtec.h"
#include "models/inspect/segmenter.h"
#include "models/pseudo/config.h"
#include "models/pseudo/trainer.h"
#include "runtime/error.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {
namespace {

std::shared_ptr<models::UnetGenerator> load_segmenter(const std::string& path, Device device) {
  io::TensorFile file = io::load_safetensors(path);
  auto model = file.metadata.find("model");
  auto config_text = file.metadata.find("config");
  DFORGE_CHECK(model != file.metadata.end() && model->second == "pseudo" && config_text != file.metadata.end(),
               path, ": not a pseudo checkpoint (written by `dforge train pseudo`)");
  const models::PseudoConfig config = models::pseudo_config_from_json(nlohmann::json::parse(config_text->second));
  Generator generator(config.seed);
  auto segmenter = models::make_segmenter(models::segmenter_options(config), generator);
  segmenter->load_state_dict(models::segmenter_weights(file.tensors), path);
  segmenter->to(device);
  return segmenter;
}

nlohmann::json number(double value) { return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value); }

}  // namespace

SegmenterEvaluation evaluate_segmenter(const SegmenterEvalOptions& options) {
  auto segmenter = load_segmenter(options.checkpoint, options.device);
  const int64_t stride = int64_t(1) << segmenter->options().num_downs;
  data::MvtecOptions mvtec;
  mvtec.split = "test";
  mvtec.categories = options.surfaces;
  const data::Dataset test = data::load_mvtec(options.data, mvtec);
  DFORGE_CHECK(test.channels() == segmenter->options().in_channels, options.data, ": test images have ",
               test.channels(), " channels, the segmenter ", options.checkpoint, " takes ",
               segmenter->options().in_channels);

  std::vector<Tensor> maps, masks;
  ProgressBar bar("eval pseudo", "images");
  for (int64_t i = 0; i < test.size(); ++i) {
    data::Sample sample = test.load(i);
    const Shape& shape = sample.image.shape();
    DFORGE_CHECK(shape[1] % stride == 0 && shape[2] % stride == 0, sample.path, ": image is ", shape[2], "x",
                 shape[1], "; the segmenter needs sides divisible by ", stride);
    Tensor probabilities = models::defect_probabilities(*segmenter, sample.image.reshape({1, shape[0], shape[1], shape[2]}));
    maps.push_back(probabilities.to(Device::cpu()).reshape({1, shape[1], shape[2]}));
    masks.push_back(sample.has_mask() ? sample.mask : Tensor::zeros({1, shape[1], shape[2]}));
    if (options.progress) bar.update(i + 1, test.size());
  }
  if (options.progress) bar.finish(test.size(), test.size());

  SegmenterEvaluation evaluation;
  evaluation.images = test.size();
  evaluation.threshold = options.threshold;
  evaluation.min_pixels = options.min_pixels;
  evaluation.rates = metrics::detection_rates(metrics::image_labels(masks),
                                              metrics::image_decisions(maps, options.threshold, options.min_pixels));
  evaluation.iou = metrics::mean_iou(maps, masks, options.threshold);
  std::vector<double> scores;
  std::vector<int> labels;
  for (size_t i = 0; i < maps.size(); ++i) {
    for (double value : maps[i].to_vector()) scores.push_back(value);
    for (double value : masks[i].to_vector()) labels.push_back(value > 0.5 ? 1 : 0);
  }
  const bool both_classes = std::count(labels.begin(), labels.end(), 1) > 0 &&
                            std::count(labels.begin(), labels.end(), 0) > 0;
  evaluation.pixel_auroc = both_classes ? metrics::pixel_roc_auc(maps, masks) : std::nan("");
  evaluation.f1_at_threshold = metrics::f1_at_threshold(scores, labels, options.threshold);
  evaluation.best_f1 = metrics::best_f1(scores, labels);
  return evaluation;
}

void print_segmenter_evaluation(const SegmenterEvaluation& e, std::FILE* out) {
  const metrics::DetectionRates& r = e.rates;
  std::fprintf(out, "eval pseudo: %lld test images (%lld defective, %lld defect-free)\n", (long long)e.images,
               (long long)r.defective, (long long)r.defect_free);
  std::fprintf(out, "  decision: an image is defective when >= %lld pixel(s) have p >= %.3f\n",
               (long long)e.min_pixels, e.threshold);
  std::fprintf(out, "  %-24s %8.2f %%   (%lld / %lld)\n", "DR  (eq. 2)", 100 * r.detection_rate, (long long)r.detected,
               (long long)r.defective);
  std::fprintf(out, "  %-24s %8.2f %%   (%lld / %lld)\n", "FAR (eq. 3)", 100 * r.false_alarm_rate,
               (long long)r.false_alarms, (long long)r.defect_free);
  std::fprintf(out, "  %-24s %8.2f %%   (defect IoU %.2f %%, background %.2f %%)\n", "mIoU", 100 * e.iou.mean,
               100 * e.iou.defect, 100 * e.iou.background);
  std::fprintf(out, "  %-24s %8.4f\n", "pixel AUROC", e.pixel_auroc);
  std::fprintf(out, "  %-24s %8.4f   (precision %.4f, recall %.4f)\n", "pixel F1 at threshold", e.f1_at_threshold.f1,
               e.f1_at_threshold.precision, e.f1_at_threshold.recall);
  std::fprintf(out, "  %-24s %8.4f   (at p >= %.4f)\n", "pixel F1, best", e.best_f1.f1, e.best_f1.threshold);
}

nlohmann::json to_json(const SegmenterEvaluation& e) {
  return {{"images", e.images},
          {"threshold", e.threshold},
          {"min_pixels", e.min_pixels},
          {"dr", number(e.rates.detection_rate)},
          {"far", number(e.rates.false_alarm_rate)},
          {"defective", e.rates.defective},
          {"detected", e.rates.detected},
          {"defect_free", e.rates.defect_free},
          {"false_alarms", e.rates.false_alarms},
          {"miou", number(e.iou.mean)},
          {"iou_defect", number(e.iou.defect)},
          {"iou_background", number(e.iou.background)},
          {"pixel_auroc", number(e.pixel_auroc)},
          {"pixel_f1", number(e.f1_at_threshold.f1)},
          {"pixel_f1_best", number(e.best_f1.f1)},
          {"pixel_f1_best_threshold", number(e.best_f1.threshold)}};
}

}  // namespace dforge::apps
