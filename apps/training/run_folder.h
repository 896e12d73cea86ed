// A training run's folder, shared by `dforge train seggan|pseudo` and `dforge inspect train`:
//   RUN/checkpoint.safetensors  the state to resume from (written by the run's own save)
//   RUN/config.json             the run's settings (written atomically when the run starts)
// A folder that already holds a checkpoint is refused unless the run resumes it, and --resume is
// refused where there is no checkpoint, so a run never silently overwrites another.
#pragma once

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

// Creates `run` and writes RUN/config.json atomically.
void write_run_config(const std::string& run, const nlohmann::json& config);

}  // namespace dforge::apps
