// StepTiming: what the seggan bench reports for one side (ours or PyTorch) at one batch size.
#pragma once

#include <cstddef>
#include <vector>

namespace dforge::apps {

struct StepTiming {
  double seconds_per_step = 0;   // median of the timed steps
  double steps_per_second = 0;   // 1 / seconds_per_step
  size_t peak_bytes = 0;         // see peak_memory.h
};

// The median of per-step times, as a StepTiming without memory. `seconds` must not be empty.
StepTiming timing_from_seconds(std::vector<double> seconds);

}  // namespace dforge::apps
