#include "apps/commands/training_status.h"

#include <cstdio>

#include "apps/exit_status.h"

namespace dforge::apps {

void end_interrupted_run(const std::string& name, const TrainingResult& result, int64_t stop_at) {
  if (!result.interrupted) return;
  std::fprintf(stderr, "%s: stopped before the end; continue with the same command and --resume\n", name.c_str());
  if (result.steps_done != stop_at) throw ExitStatus(130);  // Ctrl-C, as shells expect
}

}  // namespace dforge::apps
