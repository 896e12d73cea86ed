// The loop every training run shares (seggan, pseudo, inspector): step, NaN check, a losses.csv
// row, the progress bar, sample grids, Ctrl-C / stop_at, periodic and final checkpoints. The run
// supplies what differs as callbacks: how to run one step, how to draw samples, how to save.
//   RUN/losses.csv              one row per step: the loss columns, then "seconds" (cut back to
//                               the first step on resume); opened before the first step, or at it
//                               when the columns are known only then
//   RUN/samples/step_NNNNNN.png a sample grid every sample_every steps and at the last step
// A NaN or infinite loss stops the run with an error naming the step and the checkpoint, which
// still holds the last good state. Ctrl-C (or reaching stop_at) finishes the current step, saves
// and returns `interrupted`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runtime/device.h"

namespace dforge::apps {

// The settings every training run takes besides its model's config.
struct RunOptions {
  std::string data;      // the training images (each run's header says which)
  std::string out;       // the run folder
  Device device = Device::cpu();
  bool resume = false;   // continue RUN/checkpoint.safetensors (its config wins; --steps may extend)
  int64_t stop_at = 0;   // stop (saved, resumable) once this many steps are done; 0: run to the end
  int workers = 2;       // loader threads
  bool progress = true;  // the progress bar on stderr
};

// What one step reports.
struct StepOutcome {
  std::vector<std::string> columns;  // the losses.csv columns before "seconds", when the loop has none
  std::vector<double> values;        // one per column
  std::string status;                // for the progress bar and the NaN error
  bool finite = true;                // false: the losses are NaN or infinite
};

struct TrainingLoop {
  std::string name;            // in the NaN error ("seggan: a loss became NaN ...")
  std::string progress_label;  // the progress bar's label
  std::string out;             // the run folder
  std::string checkpoint;      // its checkpoint's path, named in the NaN error
  int64_t first_step = 0;      // steps done before this invocation
  int64_t steps = 0;           // the run's total
  int64_t sample_every = 0;    // 0: no sample grids
  int64_t checkpoint_every = 0;
  int64_t stop_at = 0;         // stop (saved, resumable) once this many steps are done; 0: never
  bool resume = false;         // cut losses.csv back to first_step
  bool progress = true;
  std::vector<std::string> columns;  // losses.csv's columns before "seconds"; empty: the first step's

  // Runs step `step` (0-based). When the outcome is not finite, the step should leave the saved
  // state alone; the loop throws.
  std::function<StepOutcome(int64_t step)> step;
  // Writes the sample grid of the last step to `path`; empty: the run has no samples.
  std::function<void(const std::string& path)> write_samples;
  // After the last step, before the final save (e.g. calibration); may be empty.
  std::function<void(int64_t steps_done)> finish;
  // Writes the checkpoint.
  std::function<void()> save;
};

// What a training run reports.
struct TrainingResult {
  int64_t steps_done = 0;    // in all, including earlier invocations
  int64_t steps_run = 0;     // by this invocation
  double seconds = 0;        // wall time of this invocation's steps
  bool interrupted = false;  // by Ctrl-C / SIGTERM or stop_at: resumable
  std::string checkpoint;    // its path
};

// A loop with the run's options filled in (out, stop_at, resume, progress) and `name` as both the
// error's and the progress bar's name; the callbacks are left to the run.
TrainingLoop training_loop(const std::string& name, const RunOptions& options, const std::string& checkpoint,
                           int64_t first_step, int64_t steps, int64_t sample_every, int64_t checkpoint_every);

TrainingResult run_training_loop(const TrainingLoop& loop);

}  // namespace dforge::apps
