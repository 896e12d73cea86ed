// The experiment of paper 000 (section V-B, Table III): are seggan's synthetic defects good enough to
// train an inspector for a surface whose real defects nobody has collected?
// (`dforge experiment pseudo-supervised`)
//   1. The built-in dataset (generated when absent) and seggan trained on the three seen surfaces
//      (apps/demo/builtin.h: the demo's preset; OUT/seggan, resumed or reused when finished, or
//      an existing checkpoint such as the demo's with `seggan`).
//   2. For each unseen surface, plain folders (data/folder.h) any command can read:
//        OUT/<surface>/train                 60% of its normal images (train/good and test/good pooled)
//        OUT/<surface>/synthetic/{train,val} seggan's defects, one random mask on every train normal and
//                                            two on every val normal: synthetic images split 60/40, and
//                                            no background is shared between train and val
//        OUT/<surface>/val                   20% of the normals + the val synthetic defects
//        OUT/<surface>/test                  the last 20% of the normals + every real defect (0/0/100)
//   3. Pseudo-supervised: a ResNet-18 classifier, normal (0) vs synthetic defect (1). Semi-supervised
//      baseline: the ResNet-18 autoencoder on the training normals alone. Both score the validation
//      set every validate_every steps and keep the weights with the best AUROC (the paper tests "the
//      best model of the validation set"; the baseline is given the same selection, which can only
//      help it).
//   4. Both selected models on the test set; image AUROC per surface in Table III's form:
//      OUT/table.md and OUT/results.json (with DR/FAR, counts, selected steps).
// Every stage resumes: a finished inspector run or synthesis folder is reused; delete
// OUT/<surface> to redo a surface.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/inspect/eval_inspector.h"
#include "runtime/device.h"

namespace dforge::apps {

struct PseudoSupervisedOptions {
  std::string data = "runs/builtin-data";
  std::string out = "runs/pseudo-supervised";
  std::vector<std::string> unseen;  // empty: every surface of `data` that seggan is not trained on
  std::string seggan;               // an existing seggan checkpoint; empty: train OUT/seggan
  std::string preset = "auto";      // auto, cpu, gpu (apps/demo/builtin.h), also the inspectors' size
  Device device = Device::cpu();
  int64_t seggan_steps = 0;         // 0: the preset's
  int64_t steps = 0;                // inspector training steps; 0: the preset's
  int size = 0;                     // inspector image side; 0: the preset's
  int width = 0;                    // ResNet-18 base width; 0: torchvision's 64
  int batch = 0;                    // inspector batch; 0: the preset's
  uint64_t seed = 0;                // of the splits, the masks and the inspectors
  bool progress = true;
};

// How many images each part holds.
struct SplitCounts {
  int64_t train_normal = 0, val_normal = 0, test_normal = 0;
  int64_t train_synthetic = 0, val_synthetic = 0;
  int64_t real_defects = 0;
};

// One inspector, selected on validation and scored on test.
struct SelectedInspector {
  std::string checkpoint;  // RUN/best.safetensors
  int64_t step = 0;        // the training step it was saved at
  double validation_auroc = 0;
  InspectEvaluation test;
};

struct SurfaceOutcome {
  std::string surface;
  SplitCounts counts;
  SelectedInspector classifier;   // pseudo-supervised
  SelectedInspector autoencoder;  // semi-supervised
};

struct PseudoSupervisedResult {
  std::vector<SurfaceOutcome> surfaces;
  std::string seggan_checkpoint;
  std::string table;  // markdown, as written to OUT/table.md
};

PseudoSupervisedResult run_pseudo_supervised(const PseudoSupervisedOptions& options);

nlohmann::json to_json(const PseudoSupervisedResult& result);

}  // namespace dforge::apps
