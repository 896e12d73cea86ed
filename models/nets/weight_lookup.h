// Looking up tensors of a loaded state dict by name, for the infer_*_options functions that read a
// network's sizes off its weight shapes. Errors name the tensor and what it was needed for.
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace dforge::models {

// The tensor called `name`, or nullptr.
const Tensor* find_tensor(const NamedTensors& weights, const std::string& name);
bool has_tensor(const NamedTensors& weights, const std::string& name);

// The tensor called `name` with `rank` dims; throws "<network>: missing tensor 'name' ..." or
// "<network>: tensor 'name' has shape [..], expected rank N" otherwise.
const Tensor& require_tensor(const NamedTensors& weights, const std::string& name, int rank,
                             const std::string& network);

// A conv weight stored as `prefix`.weight, or `prefix`.weight_orig under spectral norm.
const Tensor& require_conv_weight(const NamedTensors& weights, const std::string& prefix, const std::string& network);

}  // namespace dforge::models
