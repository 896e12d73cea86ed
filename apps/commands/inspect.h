// `dforge inspect train|eval`: downstream defect inspectors (apps/inspect/). The kinds come from
// apps/inspect/inspector_kinds.h, so a new kind needs no change here.
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_inspect_command(CLI::App& app);

}  // namespace dforge::apps
