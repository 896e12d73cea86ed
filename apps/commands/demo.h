// `dforge demo`: the main job (apps/demo/demo.h) -- what `make demo` runs.
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_demo_command(CLI::App& app);

}  // namespace dforge::apps
