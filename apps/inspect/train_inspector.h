// An inspector training run (`dforge inspect train`), in the shared training loop (apps/training/:
// StepBatches, LossLog, the run folder and the loop). It owns the run folder:
//   RUN/config.json             the run's settings
//   RUN/checkpoint.safetensors  weights, Adam state, step, threshold (apps/inspect/inspector_checkpoint.h;
//                               every checkpoint_every steps, at the end and on Ctrl-C)
//   RUN/losses.csv              one row per step (cut back to the checkpoint's step on resume)
// With a validation set (labelled normal and defective images):
//   RUN/validation.csv          "step,auroc": its image AUROC every validate_every steps and at the end
//   RUN/best.safetensors        the weights (no optimizer) of the best AUROC so far; of equal scores the
//                               latest wins (validation AUROC saturates at 1 on easy sets, and the
//                               longer-trained weights are then the better guess). This is "the best
//                               model of the validation set" of paper 000.
// Each step: one batch, the kind's loss, backward, one Adam step. A NaN or infinite loss stops the
// run with an error naming the step; the checkpoint on disk is the last good one. At the end, kinds
// with a calibrated threshold (the autoencoder) set it to mean + 3 std of the scores of (up to 64)
// training normals, the images it was trained to reconstruct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "apps/inspect/inspect_config.h"
#include "apps/training/training_loop.h"
#include "runtime/device.h"

namespace dforge::apps {

// data: normal images (apps/inspect/inspect_data.h).
struct InspectRunOptions : RunOptions {
  std::string defects;       // labelled (synthetic) defective images; the classifier needs them
  std::string real_defects;  // optional real defective images (the source head's "real" defects)
  std::string validation;    // optional labelled images: plain folder labelled by masks, or an MVTec test split
  InspectConfig config;
};

// The shared result, with the last step's total loss and the (calibrated) threshold.
struct InspectRunResult : TrainingResult {
  double last_loss = 0;
  double threshold = 0.5;
  std::optional<double> best_validation_auroc;  // with a validation set
  std::string best_checkpoint;                  // RUN/best.safetensors, with a validation set
  int64_t best_step = 0;                        // the step its weights are from
};

InspectRunResult train_inspector(const InspectRunOptions& options);

}  // namespace dforge::apps
