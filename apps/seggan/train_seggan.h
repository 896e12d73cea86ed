// A seggan training run: SegganTrainer in the shared training loop (apps/training/), used by
// `dforge train seggan`, `make demo` and the experiments. It owns the run folder:
//   RUN/config.json             the run's settings (written once, when the run starts)
//   RUN/checkpoint.safetensors  networks, optimizers, pools, step, config (atomic; every
//                               checkpoint_every steps, at the end, and on Ctrl-C)
//   RUN/losses.csv              one row per step (cut back to the checkpoint's step on resume)
//   RUN/samples/step_NNNNNN.png sample grids every sample_every steps: per sample two rows,
//                               x | s | G_y(x, s) | G_x(G_y(x, s))  and  y | s | G_x(y) | G_y(G_x(y), s)
//   RUN/G_y.safetensors         the defect painter alone, reference names (for `dforge forward`)
// A NaN or infinite loss stops the run with an error naming the step; the checkpoint on disk is the
// last good one. Ctrl-C finishes the current step, saves, and returns `interrupted`.
#pragma once

#include <string>
#include <vector>

#include "apps/training/training_loop.h"
#include "models/seggan/config.h"
#include "runtime/device.h"

namespace dforge::apps {

// data: an MVTec AD tree.
struct SegganRunOptions : RunOptions {
  models::SegganConfig config;
};

TrainingResult train_seggan(const SegganRunOptions& options);

}  // namespace dforge::apps
