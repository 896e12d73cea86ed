// A checkpoint of `dforge train pseudo` (metadata "model" = "pseudo", tensors "segmenter.<name>"
// and "optim.<name>") read as a segmenter inspector, so `dforge inspect eval` evaluates paper 004's
// pseudo model like any other inspector. The U-Net's settings come from the run's PseudoConfig;
// images are evaluated at the size the run trained on (its --resize, or the native size, one image
// per batch), with the segmenter kind's rule (score = max pixel probability, threshold 0.5).
// The Adam state is not carried over: such a run is resumed with `dforge train pseudo --resume`.
#pragma once

#include <string>

#include "apps/inspect/inspector_checkpoint.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {

bool is_pseudo_checkpoint(const io::TensorFile& file);

// Throws naming `path` when the config or the weights do not fit.
LoadedInspector load_pseudo_as_inspector(const io::TensorFile& file, const std::string& path);

}  // namespace dforge::apps
