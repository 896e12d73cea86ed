// How the training commands (`dforge train <model>`) run a training and end it: the device and
// progress bar from the flags, a one-line report, and for a run that stopped early "<name>:
// stopped before the end; continue with the same command and --resume" on stderr, with exit status
// 130 when Ctrl-C stopped it (as shells expect) rather than --stop-at.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "apps/commands/device_option.h"
#include "apps/training/training_loop.h"

namespace dforge::apps {

// Does nothing for a finished run; throws ExitStatus(130) after an interruption.
void end_interrupted_run(const std::string& name, const TrainingResult& result, int64_t stop_at);

// "<name>: N steps, T s; checkpoint PATH" on stderr.
void report_training(const std::string& name, const TrainingResult& result);

// The flags of a training command that are not run options themselves.
struct TrainingFlags {
  std::string device = "cpu";
  bool quiet = false;
};

// The options every `dforge train <model>` of a GAN or segmenter takes besides its model's own:
// --surfaces, --seed (its help says what the seed draws), --sample-every, --checkpoint-every,
// --stop-at, --device, --workers, --resume, --quiet. `config` has surfaces, seed, sample_every and
// checkpoint_every fields.
template <typename Config>
void add_training_options(CLI::App& command, RunOptions& run, Config& config, TrainingFlags& flags,
                          const std::string& seed_help) {
  command.add_option("--surfaces", config.surfaces, "Surfaces (dataset categories) to train on; default all")
      ->delimiter(',');
  command.add_option("--seed", config.seed, seed_help);
  command.add_option("--sample-every", config.sample_every, "Write a sample grid every N steps (0: never)");
  command.add_option("--checkpoint-every", config.checkpoint_every, "Save a checkpoint every N steps (0: only at the end)");
  command.add_option("--stop-at", run.stop_at,
                     "Stop, saved and resumable, once this many steps are done (to split a long run; 0: never)");
  command.add_option("--device", flags.device, "cpu or cuda");
  command.add_option("--workers", run.workers, "Data loader threads");
  command.add_flag("--resume", run.resume,
                   "Continue RUN/checkpoint.safetensors (bit-identical on the CPU); its settings win");
  command.add_flag("--quiet", flags.quiet, "No progress bar");
}

// The body of `dforge train <name>`: runs train(run) on the device the flags name, with the
// progress bar unless --quiet, reports, and ends an interrupted run. `run` is the model's RunOptions.
template <typename Run, typename Train>
void run_training_command(const std::string& name, Run& run, const TrainingFlags& flags, Train&& train) {
  run.device = device_from_option(flags.device);
  run.progress = !flags.quiet;
  const TrainingResult result = train(run);
  report_training(name, result);
  end_interrupted_run(name, result, run.stop_at);
}

}  // namespace dforge::apps
