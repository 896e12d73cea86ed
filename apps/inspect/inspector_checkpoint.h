// An inspector run's checkpoint, RUN/checkpoint.safetensors (written atomically):
//   tensors   "model.<name>" (the inspector's state dict, torchvision names after the prefix) and
//             "optimizer.<name>" (Adam's moments and step)
//   metadata  "format" = "dforge inspector", "config" (InspectConfig JSON), "steps_done",
//             "threshold" (the score above which an image is called defective), and for the best
//             checkpoint of a validated run (RUN/best.safetensors, weights only) "validation_auroc"
// The data order is a function of the step (StepBatches) and the networks have no dropout, so
// weights + optimizer + step are the whole state: a resumed run continues bit-identically on the CPU.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "apps/inspect/inspect_config.h"
#include "layers/optimizer.h"
#include "models/inspect/inspector.h"

namespace dforge::apps {

struct InspectorState {
  InspectConfig config;
  int64_t steps_done = 0;
  double threshold = 0.5;
  std::optional<double> validation_auroc;  // of these weights, when a validation set chose them
};

// Without an optimizer only the weights are saved: enough to evaluate, not to resume.
void save_inspector_checkpoint(const std::string& path, models::Inspector& inspector, const InspectorState& state,
                               const Optimizer* optimizer);

struct LoadedInspector {
  std::shared_ptr<models::Inspector> inspector;  // weights loaded, training mode, CPU
  InspectorState state;
  NamedTensors optimizer_state;                  // without the "optimizer." prefix
};

// Also reads a `dforge train pseudo` checkpoint, as a segmenter (apps/inspect/pseudo_checkpoint.h).
// Throws naming the file when it is neither, or when its kind is not available.
LoadedInspector load_inspector_checkpoint(const std::string& path);

}  // namespace dforge::apps
