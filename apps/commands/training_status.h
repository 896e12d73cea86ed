// How the training commands end a run that stopped early: "<name>: stopped before the end; continue
// with the same command and --resume" on stderr, and exit status 130 when Ctrl-C stopped it (as
// shells expect) rather than --stop-at.
#pragma once

#include <cstdint>
#include <string>

#include "apps/training/training_loop.h"

namespace dforge::apps {

// Does nothing for a finished run; throws ExitStatus(130) after an interruption.
void end_interrupted_run(const std::string& name, const TrainingResult& result, int64_t stop_at);

}  // namespace dforge::apps
