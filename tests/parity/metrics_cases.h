// The metric cases of parity_driver (case names "metrics.*"), compared with scikit-image and
// scikit-learn by tests/parity/test_metrics.py.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/io/safetensors.h"

namespace dforge::parity {

// True when `name` is a metrics case.
bool is_metrics_case(const std::string& name);

// "metrics.image": input0, input1 [C, H, W], optional input2 mask [1, H, W], config data_range ->
//   "values" f64 [9]: l1, l2, ssim of all, inside, outside (NaN for an empty region).
// "metrics.detection": input0 scores, input1 labels (0/1) -> "auroc", "best_f1", "best_f1_threshold".
// "metrics.lpips": weight.<name> (VGG16 features + lin weights), input0, input1 [N, 3, H, W] in
//   [-1, 1], optional input2 weights [N, 1, H, W] -> "distance" [N] (and "distance_weighted").
// "metrics.inception": weight.<name> (the FID InceptionV3), input0 [N, 3, H, W] in [0, 1] ->
//   "features" [N, 2048].
// "metrics.frechet": input0 [n, d], input1 [m, d] -> "fid" (f64).
NamedTensors run_metrics_case(const std::string& name, const io::TensorFile& in, const nlohmann::json& config);

}  // namespace dforge::parity
