// `dforge train defectgan --data DIR --out RUN [...]`: paper 003's Defect-GAN.
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

void add_train_defectgan(CLI::App& train);

}  // namespace dforge::apps
