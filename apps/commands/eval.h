// `dforge eval`: a group of evaluation subcommands. `dforge eval synth` compares synthesised images
// with their inputs inside and outside the defect masks (metrics/synthesis_eval.h); `dforge eval
// detect` scores an inspector's per-image scores against labels (metrics/detection.h).
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_eval_command(CLI::App& app);

}  // namespace dforge::apps
