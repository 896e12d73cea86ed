// A `pseudo` training run (paper 004): normal crops from <surface>/train/good, pseudo-defects
// painted on the fly (models/pseudo/batch.h), the binary U-Net segmenter trained on them in the
// shared training loop (apps/training/). The run folder mirrors seggan's (apps/seggan/train_seggan.h):
//   RUN/config.json             the run's settings
//   RUN/checkpoint.safetensors  segmenter, Adam state, step, config (atomic; every
//                               checkpoint_every steps, at the end, on Ctrl-C)
//   RUN/losses.csv              step, bce, dice, total, seconds (cut back to the checkpoint on resume)
//   RUN/samples/step_NNNNNN.png per sample: painted crop | true mask | predicted probability
// A NaN loss stops the run naming the step; Ctrl-C finishes the step, saves and returns
// `interrupted`; --resume continues bit for bit on the CPU.
#pragma once

#include <string>

#include "apps/training/training_loop.h"
#include "models/pseudo/config.h"
#include "runtime/device.h"

namespace dforge::apps {

// data: an MVTec AD tree; only <surface>/train/good is read.
struct PseudoRunOptions : RunOptions {
  models::PseudoConfig config;
};

TrainingResult train_pseudo(const PseudoRunOptions& options);

}  // namespace dforge::apps
