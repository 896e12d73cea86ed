// `dforge eval pseudo --ckpt RUN/checkpoint.safetensors --data DIR [--surfaces ...] [--json FILE]`:
// DR, FAR, mIoU, pixel AUROC and F1 of a pseudo segmenter on real defects (apps/pseudo/
// evaluate_segmenter.h). Registered under the existing `eval` command; the lead folds it into
// `dforge inspect eval` later.
#pragma once

#include <CLI/CLI.hpp>

namespace dforge::apps {

// `app` must already have the `eval` subcommand (add_eval_command).
void add_eval_pseudo_command(CLI::App& app);

}  // namespace dforge::apps
