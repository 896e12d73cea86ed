#include "apps/commands/training_status.h"

#include <cstdio>

#include "apps/exit_status.h"

namespace dforge::apps {

void end_interrupted_run(const std::string& name, const TrainingResult& result, int64_t stop_at) {
  if (!result.interrupted) return;
  std::fprintf(stderr, "%s: stopped before the end; continue with the same command and --resume\n", name.c_str());
  if (result.steps_done != stop_at) throw ExitStatus(130);  // Ctrl-C, as shells expect
}

void report_training(const std::string& name, const TrainingResult& result) {
  std::fprintf(stderr, "%s: %lld steps, %.1f s; checkpoint %s\n", name.c_str(), static_cast<long long>(result.steps_done),
               result.seconds, result.checkpoint.c_str());
}

}  // namespace dforge::apps
