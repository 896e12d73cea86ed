// A training run's folder, shared by `dforge train seggan|pseudo` and `dforge inspect train`:
//   RUN/checkpoint.safetensors  the state to resume from (written by the run's own save)
//   RUN/config.json             the run's settings (written atomically when the run starts)
// A folder that already holds a checkpoint is refused unless the run resumes it, and --resume is
// refused where there is no checkpoint, so a run never silently overwrites another.
#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/io/safetensors.h"

namespace dforge::apps {

// RUN/checkpoint.safetensors.
std::string run_checkpoint_path(const std::string& run);

// Refuses `run` when it holds a checkpoint and `resume` is off ("<run> already holds <what>; pass
// --resume ..."), or when `resume` is on and it holds none. Returns the checkpoint's path.
std::string check_run_folder(const std::string& run, bool resume, const std::string& what);

// The config stored in a checkpoint's "config" metadata; `what` names the kind in the error
// ("seggan": "<path>: not a seggan checkpoint (no config)").
nlohmann::json checkpoint_config(const io::TensorFile& checkpoint, const std::string& what);

// Where a run starts from: with `resume`, the checkpoint and its own config, whose step count the
// requested one may only extend; otherwise nothing and the requested config. `from_json` reads
// the model's config; `what` names the model in errors.
template <typename Config>
struct RunStart {
  std::optional<io::TensorFile> checkpoint;
  Config config;
};
template <typename Config, typename FromJson>
RunStart<Config> run_start(const std::string& checkpoint_path, bool resume, const Config& requested,
                           const std::string& what, FromJson&& from_json) {
  RunStart<Config> start{std::nullopt, requested};
  if (!resume) return start;
  start.checkpoint = io::load_safetensors(checkpoint_path);
  start.config = from_json(checkpoint_config(*start.checkpoint, what));
  start.config.steps = std::max(start.config.steps, requested.steps);
  return start;
}

// Creates `run` and writes RUN/config.json atomically.
void write_run_config(const std::string& run, const nlohmann::json& config);

}  // namespace dforge::apps
