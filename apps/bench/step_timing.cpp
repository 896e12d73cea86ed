// timing_from_seconds: the median step time (robust to a step the scheduler stole from).
#include "apps/bench/step_timing.h"

#include <algorithm>

#include "runtime/error.h"

namespace dforge::apps {

StepTiming timing_from_seconds(std::vector<double> seconds) {
  DFORGE_CHECK(!seconds.empty(), "bench: no timed steps (--steps must be at least 1)");
  std::sort(seconds.begin(), seconds.end());
  const size_t middle = seconds.size() / 2;
  StepTiming timing;
  timing.seconds_per_step =
      seconds.size() % 2 ? seconds[middle] : 0.5 * (seconds[middle - 1] + seconds[middle]);
  timing.steps_per_second = 1.0 / timing.seconds_per_step;
  return timing;
}

}  // namespace dforge::apps
