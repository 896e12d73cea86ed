#include "apps/inspect/train_inspector.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "apps/commands/progress_bar.h"
#include "apps/inspect/inspect_data.h"
#include "apps/inspect/inspector_checkpoint.h"
#include "apps/inspect/inspector_kinds.h"
#include "apps/interrupt.h"
#include "apps/seggan/loss_log.h"
#include "apps/seggan/step_batches.h"
#include "autograd/engine.h"
#include "runtime/error.h"
#include "runtime/io/atomic_file.h"

namespace dforge::apps {
namespace fs = std::filesystem;
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

}  // namespace

InspectRunResult train_inspector(const InspectRunOptions& options) {
  const std::string checkpoint_path = inspector_checkpoint_path(options.out);
  const bool has_checkpoint = fs::exists(checkpoint_path);
  DFORGE_CHECK(options.resume || !has_checkpoint, options.out,
               " already holds an inspector run; pass --resume to continue it, or choose another --out");
  DFORGE_CHECK(!options.resume || has_checkpoint, "--resume: no checkpoint at ", checkpoint_path);

  std::optional<LoadedInspector> loaded;
  InspectorState state{options.config, 0, 0.5};
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

  fs::create_directories(options.out);
  io::write_file_atomically((fs::path(options.out) / "config.json").string(),
                            [&](std::ostream& out) { out << to_json(state.config).dump(2) << "\n"; });
  std::optional<LossLog> log;

  InspectRunResult result;
  result.checkpoint = checkpoint_path;
  const int64_t first_step = state.steps_done;
  std::string status;
  InterruptGuard interrupt;
  ProgressBar bar(kind.name, "steps");
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };

  while (state.steps_done < state.config.steps) {
    const int64_t step = state.steps_done;
    data::Batch batch = batches.at(step);
    optimizer.zero_grad();
    models::InspectorLoss loss = inspector->loss(batch);
    DFORGE_CHECK(finite(loss), "inspect: a loss became NaN or infinite at step ", step + 1, " (", losses_text(loss),
                 "); stopped. ", checkpoint_path, " holds the last good state; try a lower --lr");
    backward(loss.total);
    optimizer.step();
    state.steps_done += 1;
    if (!log) {
      std::vector<std::string> columns;
      for (const auto& [name, value] : loss.terms) columns.push_back(name);
      columns.push_back("seconds");
      log.emplace((fs::path(options.out) / "losses.csv").string(), columns, options.resume ? first_step : -1);
    }
    std::vector<double> row;
    for (const auto& [name, value] : loss.terms) row.push_back(value);
    row.push_back(elapsed());
    log->append(state.steps_done, row);
    result.last_loss = loss.total.item();
    status = losses_text(loss);
    if (options.progress) bar.update(state.steps_done, state.config.steps, status);
    if (interrupt.requested() || state.steps_done == options.stop_at) {
      result.interrupted = true;
      break;
    }
    const int64_t every = state.config.checkpoint_every;
    if (every > 0 && state.steps_done % every == 0 && state.steps_done < state.config.steps)
      save_inspector_checkpoint(checkpoint_path, *inspector, optimizer, state);
  }
  if (options.progress) bar.finish(state.steps_done, state.config.steps, status);
  if (kind.calibrated_threshold && state.steps_done == state.config.steps)
    state.threshold = calibrate_threshold(*inspector, images, state.config, options.device);
  save_inspector_checkpoint(checkpoint_path, *inspector, optimizer, state);
  result.steps_done = state.steps_done;
  result.steps_run = state.steps_done - first_step;
  result.seconds = elapsed();
  result.threshold = state.threshold;
  return result;
}

}  // namespace dforge::apps
