// The main job (`make demo`, `dforge demo`): seggan on the built-in procedural data, end to end.
//   1. the built-in dataset, generated when the data folder has none (dforge datagen);
//   2. seggan trained on three surfaces (plain weave, printed fabric, wood) -- resumed when the
//      run folder already holds a checkpoint, so a second `make demo` only re-reports;
//   3. defects painted with new random masks onto the defect-free test images of the seen surfaces
//      and of an unseen one (twill);
//   4. L1 / L2 / SSIM inside and outside the masks (paper 000, Table II);
//   5. the pseudo model (paper 004): a segmenter trained on pseudo-defects painted onto the seen
//      surfaces' normal images, evaluated on every surface's real defects (DR, FAR, mIoU ...);
//   6. OUT/report.html: samples, loss curves, metrics, config and timings.
// Presets: "cpu" finishes in about 10 minutes on two cores (64-pixel crops, a narrow U-Net);
// "gpu" is the paper's configuration (256-pixel crops, ngf 64); "auto" picks by device.
#pragma once

#include <string>

#include "runtime/device.h"

namespace dforge::apps {

struct DemoOptions {
  std::string data = "runs/builtin-data";
  std::string out = "runs/demo";
  std::string preset = "auto";   // auto, cpu, gpu
  Device device = Device::cpu();
  int64_t steps = 0;             // training steps of each model; 0: the preset's
  bool progress = true;
};

// Returns the report's path.
std::string run_demo(const DemoOptions& options);

}  // namespace dforge::apps
