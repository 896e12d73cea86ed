// A defectgan training run: DefectganTrainer in the shared training loop (apps/training/), used by
// `dforge train defectgan`. It owns the run folder:
//   RUN/config.json             the run's settings, with the defect kinds it learned as classes
//   RUN/checkpoint.safetensors  G, D, both Adam states, the noise stream, step, config (atomic;
//                               every checkpoint_every steps, at the end, and on Ctrl-C)
//   RUN/losses.csv              one row per step (G's columns are 0 on critic-only steps)
//   RUN/samples/step_NNNNNN.png sample grids, one row per sample:
//                               n | defaced n | its map m | d | restored d | its map m
//   RUN/G.safetensors           the generator alone (for `dforge synth defectgan`)
// The classes are the defect kinds (test/<defect> folder names) of the chosen surfaces, sorted;
// a defective image's label is its kind. A NaN or infinite loss stops the run with an error naming
// the step; the checkpoint on disk is the last good one.
#pragma once

#include "apps/training/training_loop.h"
#include "models/defectgan/config.h"

namespace dforge::apps {

// data: an MVTec AD tree.
struct DefectganRunOptions : RunOptions {
  models::DefectganConfig config;
};

TrainingResult train_defectgan(const DefectganRunOptions& options);

}  // namespace dforge::apps
