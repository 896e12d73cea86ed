// `dforge train pseudo --data DIR --out RUN [...]`: paper 004's segmenter on pseudo-defects.
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_train_pseudo(CLI::App& train);

}  // namespace dforge::apps
