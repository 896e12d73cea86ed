// `dforge synth <model>`: paints defects with a trained model (seggan, pseudo).
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_synth_command(CLI::App& app);

}  // namespace dforge::apps
