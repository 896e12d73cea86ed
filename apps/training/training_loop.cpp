#include "apps/training/training_loop.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "apps/commands/progress_bar.h"
#include "apps/interrupt.h"
#include "apps/training/loss_log.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace fs = std::filesystem;

TrainingLoop training_loop(const std::string& name, const RunOptions& options, const std::string& checkpoint,
                           int64_t first_step, int64_t steps, int64_t sample_every, int64_t checkpoint_every) {
  TrainingLoop loop;
  loop.name = loop.progress_label = name;
  loop.out = options.out;
  loop.checkpoint = checkpoint;
  loop.first_step = first_step;
  loop.steps = steps;
  loop.sample_every = sample_every;
  loop.checkpoint_every = checkpoint_every;
  loop.stop_at = options.stop_at;
  loop.resume = options.resume;
  loop.progress = options.progress;
  return loop;
}

TrainingResult run_training_loop(const TrainingLoop& loop) {
  if (loop.write_samples) fs::create_directories(fs::path(loop.out) / "samples");
  std::optional<LossLog> log;
  auto open_log = [&](std::vector<std::string> columns) {
    columns.push_back("seconds");
    log.emplace((fs::path(loop.out) / "losses.csv").string(), columns, loop.resume ? loop.first_step : -1);
  };
  if (!loop.columns.empty()) open_log(loop.columns);
  TrainingResult result;
  result.checkpoint = loop.checkpoint;
  int64_t done = loop.first_step;
  std::string status;  // the last losses, for the progress bar
  InterruptGuard interrupt;
  ProgressBar bar(loop.progress_label, "steps", loop.first_step);
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };

  while (done < loop.steps) {
    const int64_t step = done;
    StepOutcome outcome = loop.step(step);
    DFORGE_CHECK(outcome.finite, loop.name, ": a loss became NaN or infinite at step ", step + 1, " (",
                 outcome.status, "); stopped. ", loop.checkpoint, " holds the last good state; try a lower --lr");
    done = step + 1;
    if (!log) open_log(outcome.columns);
    outcome.values.push_back(elapsed());
    log->append(done, outcome.values);
    status = outcome.status;
    if (loop.progress) bar.update(done, loop.steps, status);
    if (loop.write_samples && loop.sample_every > 0 && (done % loop.sample_every == 0 || done == loop.steps)) {
      char name[64];
      std::snprintf(name, sizeof name, "step_%06lld.png", static_cast<long long>(done));
      loop.write_samples((fs::path(loop.out) / "samples" / name).string());
    }
    if (interrupt.requested() || done == loop.stop_at) {
      result.interrupted = true;
      break;
    }
    if (loop.checkpoint_every > 0 && done % loop.checkpoint_every == 0 && done < loop.steps) loop.save();
  }
  if (loop.progress) bar.finish(done, loop.steps, status);
  if (loop.finish) loop.finish(done);
  loop.save();
  result.steps_done = done;
  result.steps_run = done - loop.first_step;
  result.seconds = elapsed();
  return result;
}

}  // namespace dforge::apps
