// `dforge train <model>`: trains a model on a dataset folder into a run folder (seggan, pseudo).
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_train_command(CLI::App& app);

}  // namespace dforge::apps
