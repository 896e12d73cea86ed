// `dforge bench <model>`: speed of a model's full training step next to the same step in PyTorch
// eager, measured in one run (seggan today). Writes its table to `out` (tests pass a stream).
#pragma once

#include <CLI/CLI.hpp>
#include <iostream>

namespace dforge::apps {

void add_bench_command(CLI::App& app, std::ostream& out = std::cout);

}  // namespace dforge::apps
