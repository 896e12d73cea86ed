// Loading the pretrained weights that LPIPS and FID need. They cannot be trained here and must not be
// random, so a missing file is an error that says where the weights come from: a one-line message
// naming tools/export_metric_weights.py (run on a machine with internet, torch, torchvision, lpips
// and pytorch-fid), never a silent fallback.
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace dforge::metrics {

// The tensors of the safetensors file `path`. `metric` ("LPIPS", "FID") and `option` (the command
// line flag, e.g. "--lpips-weights") go into the error raised when `path` is empty or unreadable.
NamedTensors load_metric_weights(const std::string& path, const std::string& metric, const std::string& option);

}  // namespace dforge::metrics
