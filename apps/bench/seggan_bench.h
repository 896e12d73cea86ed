// Times full seggan training steps (G and D updates, models/seggan/trainer.h) on random inputs,
// ours in-process. torch_seggan.h times PyTorch's reference step for the same SegganBenchCase.
#pragma once

#include <string>

#include "apps/bench/step_timing.h"
#include "runtime/device.h"

namespace dforge::apps {

struct SegganBenchCase {
  Device device = Device::cpu();
  int size = 128;                 // crop side; the U-Net has log2(size) levels
  int batch = 1;
  int steps = 10;                 // timed
  int warmup = 2;                 // untimed, first
  int threads = 1;                // CPU threads of both sides
  std::string generator = "unet";  // or "resnet"
};

// Our SegganTrainer (default SegganConfig: ngf 64, ndf 64, n_layers 2, spectral norm, 4 image
// channels + mask) on inputs drawn once from a Philox stream. On CUDA each step ends in a
// synchronize before the clock is read.
StepTiming time_seggan_steps(const SegganBenchCase& bench_case);

}  // namespace dforge::apps
