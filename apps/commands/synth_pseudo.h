// `dforge synth pseudo --images DIR --out DIR [--count N] [--seed S]`: paper 004's pseudo-defects.
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_synth_pseudo(CLI::App& synth);

}  // namespace dforge::apps
