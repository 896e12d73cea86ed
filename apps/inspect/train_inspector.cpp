#include "apps/inspect/train_inspector.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "apps/inspect/eval_inspector.h"
#include "apps/inspect/inspect_data.h"
#include "apps/inspect/inspector_checkpoint.h"
#include "apps/inspect/inspector_kinds.h"
#include "apps/training/loss_log.h"
#include "apps/training/run_folder.h"
#include "apps/training/step_batches.h"
#include "autograd/engine.h"
#include "metrics/detection.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

constexpr int64_t kCalibrationImages = 64;

std::string losses_text(const models::InspectorLoss& loss) {
  std::string text;
  char term[64];
  for (const auto& [name, value] : loss.terms) {
    std::snprintf(term, sizeof term, "%s%s %.4f", text.empty() ? "" : " ", name.c_str(), value);
    text += term;
  }
  return text;
}

bool finite(const models::InspectorLoss& loss) {
  for (const auto& [name, value] : loss.terms) {
    if (!std::isfinite(value)) return false;
  }
  return true;
}

// mean + 3 std of the scores of up to kCalibrationImages training images, in eval mode.
double calibrate_threshold(models::Inspector& inspector, std::shared_ptr<const data::Dataset> images,
                           const InspectConfig& config, Device device) {
  data::LoaderOptions loader_options;
  loader_options.batch_size = config.batch;
  loader_options.shuffle = false;
  loader_options.workers = 0;
  data::Loader loader(images, inspect_transforms(config.size, false), loader_options);
  inspector.eval();
  std::vector<double> scores;
  while (int64_t(scores.size()) < kCalibrationImages) {
    std::optional<data::Batch> batch = loader.next();
    if (!batch) break;
    for (double score : inspector.inspect(batch->images.to(device)).scores) scores.push_back(score);
  }
  inspector.train();
  double mean = 0, square = 0;
  for (double s : scores) mean += s / double(scores.size());
  for (double s : scores) square += (s - mean) * (s - mean) / double(scores.size());
  return mean + 3.0 * std::sqrt(square);
}

// RUN/best.safetensors and RUN/validation.csv: scores the validation images at the steps the
// config says and keeps the weights of the best AUROC.
class ValidationTracker {
 public:
  ValidationTracker(const InspectRunOptions& options, const InspectorState& state, const InspectorKind& kind,
                    std::shared_ptr<const data::Dataset> training_images)
      : options_(options),
        kind_(kind),
        training_images_(std::move(training_images)),
        images_(open_test_images(options.validation)),
        best_path_((std::filesystem::path(options.out) / "best.safetensors").string()),
        log_((std::filesystem::path(options.out) / "validation.csv").string(), {"auroc"},
             options.resume ? state.steps_done : -1) {
    DFORGE_CHECK(images_->channels() == state.config.channels, options.validation, ": validation images have ",
                 images_->channels(), " channels, the run trains on ", state.config.channels);
    if (options.resume && std::filesystem::exists(best_path_)) {
      LoadedInspector best = load_inspector_checkpoint(best_path_);
      if (best.state.steps_done <= state.steps_done) {
        best_ = best.state.validation_auroc;
        best_step_ = best.state.steps_done;
      }
    }
  }

  // After step `state.steps_done`: scores the validation images when it is time, and saves the
  // weights when they beat the best. Returns the progress text ("" when not validated).
  std::string after_step(models::Inspector& inspector, const InspectorState& state) {
    if (state.steps_done % state.config.validate_every != 0 && state.steps_done != state.config.steps)
      return last_text_;
    const InspectorScores scored = score_images(inspector, images_, state.config, options_.device, 0);
    const double auroc = metrics::roc_auc(scored.scores, scored.labels);
    log_.append(state.steps_done, {auroc});
    if (!best_ || auroc >= *best_) {  // a tie goes to the longer-trained weights
      best_ = auroc;
      best_step_ = state.steps_done;
      InspectorState best_state = state;
      best_state.validation_auroc = auroc;
      if (kind_.calibrated_threshold)
        best_state.threshold = calibrate_threshold(inspector, training_images_, state.config, options_.device);
      save_inspector_checkpoint(best_path_, inspector, best_state, nullptr);
    }
    inspector.train();
    char text[64];
    std::snprintf(text, sizeof text, " | val AUROC %.3f (best %.3f)", auroc, *best_);
    last_text_ = text;
    return last_text_;
  }

  std::optional<double> best() const { return best_; }
  int64_t best_step() const { return best_step_; }
  const std::string& best_path() const { return best_path_; }

 private:
  const InspectRunOptions& options_;
  const InspectorKind& kind_;
  std::shared_ptr<const data::Dataset> training_images_;
  std::shared_ptr<const data::Dataset> images_;
  std::string best_path_;
  LossLog log_;
  std::optional<double> best_;
  int64_t best_step_ = 0;
  std::string last_text_;
};

}  // namespace

InspectRunResult train_inspector(const InspectRunOptions& options) {
  const std::string checkpoint_path = check_run_folder(options.out, options.resume, "an inspector run");
  std::optional<LoadedInspector> loaded;
  InspectorState state{options.config, 0, 0.5, std::nullopt};
  if (options.resume) {
    loaded = load_inspector_checkpoint(checkpoint_path);
    DFORGE_CHECK(!loaded->optimizer_state.empty(), checkpoint_path, " holds no optimizer state (a `dforge train "
                 "pseudo` run?); continue it with the command that wrote it");
    state = loaded->state;
    state.config.steps = std::max(state.config.steps, options.config.steps);
  }
  const InspectorKind& kind = find_inspector_kind(state.config.kind);
  DFORGE_CHECK(!kind.trains_on_defects || !options.defects.empty(), "inspect: --kind ", kind.name,
               " trains on labelled defective images too: pass --defects DIR (e.g. the OUT of `dforge synth "
               "seggan`)");
  auto images = kind.trains_on_defects ? open_training_images(options.data, options.defects, options.real_defects)
                                       : open_training_images(options.data, "");
  if (!options.resume) state.config.channels = images->channels();
  DFORGE_CHECK(images->channels() == state.config.channels, options.data, ": images have ", images->channels(),
               " channels, the run was trained on ", state.config.channels);
  state.config.validate();

  Generator generator(state.config.seed);
  std::shared_ptr<models::Inspector> inspector =
      loaded ? loaded->inspector : kind.make(state.config, generator);
  inspector->to(options.device);
  inspector->train();
  Adam optimizer(inspector->named_parameters(), AdamOptions{.lr = state.config.lr});
  if (loaded) optimizer.load_state_dict(loaded->optimizer_state, checkpoint_path);
  loaded.reset();

  data::LoaderOptions loader;
  loader.batch_size = state.config.batch;
  loader.workers = options.workers;
  loader.seed = state.config.seed;
  StepBatches batches(images, inspect_transforms(state.config.size, true), loader, options.data + " training images");

  write_run_config(options.out, to_json(state.config));
  std::optional<ValidationTracker> validation;
  if (!options.validation.empty()) validation.emplace(options, state, kind, images);

  InspectRunResult result;
  TrainingLoop loop = training_loop("inspect", options, checkpoint_path, state.steps_done, state.config.steps,
                                    0, state.config.checkpoint_every);
  loop.progress_label = kind.name;
  loop.step = [&](int64_t step) {
    data::Batch batch = batches.at(step);
    optimizer.zero_grad();
    models::InspectorLoss loss = inspector->loss(batch);
    StepOutcome outcome;
    outcome.status = losses_text(loss);
    outcome.finite = finite(loss);
    if (!outcome.finite) return outcome;  // before the update: the state stays the last good one
    backward(loss.total);
    optimizer.step();
    state.steps_done += 1;
    for (const auto& [name, value] : loss.terms) {
      outcome.columns.push_back(name);
      outcome.values.push_back(value);
    }
    result.last_loss = loss.total.item();
    if (validation) outcome.status += validation->after_step(*inspector, state);
    return outcome;
  };
  loop.finish = [&](int64_t steps_done) {
    if (kind.calibrated_threshold && steps_done == state.config.steps)
      state.threshold = calibrate_threshold(*inspector, images, state.config, options.device);
  };
  loop.save = [&] { save_inspector_checkpoint(checkpoint_path, *inspector, state, &optimizer); };
  static_cast<TrainingResult&>(result) = run_training_loop(loop);
  result.threshold = state.threshold;
  if (validation) {
    result.best_validation_auroc = validation->best();
    result.best_checkpoint = validation->best_path();
    result.best_step = validation->best_step();
  }
  return result;
}

}  // namespace dforge::apps
