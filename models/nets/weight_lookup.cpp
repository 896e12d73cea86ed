// Name lookups in a state dict, with errors that name the tensor.
#include "models/nets/weight_lookup.h"

#include "runtime/error.h"

namespace dforge::models {

const Tensor* find_tensor(const NamedTensors& weights, const std::string& name) {
  for (const auto& [key, tensor] : weights) {
    if (key == name) return &tensor;
  }
  return nullptr;
}

bool has_tensor(const NamedTensors& weights, const std::string& name) { return find_tensor(weights, name) != nullptr; }

const Tensor& require_tensor(const NamedTensors& weights, const std::string& name, int rank,
                             const std::string& network) {
  const Tensor* tensor = find_tensor(weights, name);
  DFORGE_CHECK(tensor != nullptr, network, ": missing tensor '", name, "' (needed to infer the network's sizes)");
  DFORGE_CHECK(tensor->ndim() == rank, network, ": tensor '", name, "' has shape ", shape_str(tensor->shape()),
               ", expected ", rank, " dims");
  return *tensor;
}

const Tensor& require_conv_weight(const NamedTensors& weights, const std::string& prefix, const std::string& network) {
  const std::string orig = prefix + ".weight_orig";
  if (has_tensor(weights, orig)) return require_tensor(weights, orig, 4, network);
  return require_tensor(weights, prefix + ".weight", 4, network);
}

}  // namespace dforge::models
