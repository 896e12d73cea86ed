// `dforge datagen`: writes the built-in procedural dataset (data/procedural/datagen.h) with a
// progress bar on stderr, and optionally its contact sheet.
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_datagen_command(CLI::App& app);

}  // namespace dforge::apps
