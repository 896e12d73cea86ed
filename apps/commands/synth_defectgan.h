// `dforge synth defectgan --ckpt FILE --images DIR [--defect KIND,...] [--masks DIR | --random-masks N] --out DIR`.
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_synth_defectgan(CLI::App& synth);

}  // namespace dforge::apps
