// `dforge experiment pseudo-supervised`: the papers' experiments on the built-in data
// (apps/experiment/).
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_experiment_command(CLI::App& app);

}  // namespace dforge::apps
