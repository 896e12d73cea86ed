// The PyTorch side of the seggan bench: tests/parity/reference_seggan.py's training step, timed by
// bench/seggan_torch.py with the configuration, thread count and memory measure of ours.
#pragma once

#include <optional>
#include <string>

#include "apps/bench/seggan_bench.h"

namespace dforge::apps {

// The PyTorch side, or the reason it could not run (no DFORGE_PYTHON, no torch, a failure) in
// `note`; never a made-up figure.
struct TorchStepTiming {
  std::optional<StepTiming> timing;
  std::string version;  // torch.__version__
  std::string note;
};
TorchStepTiming time_torch_seggan(const SegganBenchCase& bench_case);

}  // namespace dforge::apps
