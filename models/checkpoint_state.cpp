#include "models/checkpoint_state.h"

#include <cstdio>

#include "runtime/error.h"

namespace dforge::models {

void append_prefixed(NamedTensors& out, const std::string& prefix, const NamedTensors& tensors) {
  for (const auto& [name, tensor] : tensors) out.emplace_back(prefix + name, tensor.to(Device::cpu()));
}

NamedTensors strip_prefix(const NamedTensors& tensors, const std::string& prefix) {
  NamedTensors out;
  for (const auto& [name, tensor] : tensors)
    if (name.rfind(prefix, 0) == 0) out.emplace_back(name.substr(prefix.size()), tensor);
  return out;
}

const std::string& metadata_field(const Metadata& metadata, const std::string& key, const std::string& model,
                                  const std::string& source) {
  auto found = metadata.find(key);
  DFORGE_CHECK(found != metadata.end(), source, ": not a ", model, " checkpoint (no '", key, "' in its metadata)");
  return found->second;
}

void check_model(const Metadata& metadata, const std::string& model, const std::string& source) {
  const std::string& found = metadata_field(metadata, "model", model, source);
  DFORGE_CHECK(found == model, source, ": a '", found, "' checkpoint, not ", model);
}

std::string generator_state(const Generator& generator) {
  return concat(generator.seed(), ' ', generator.draws());
}

void restore_generator_state(Generator& generator, const std::string& state, const std::string& source) {
  unsigned long long seed = 0, draws = 0;
  DFORGE_CHECK(std::sscanf(state.c_str(), "%llu %llu", &seed, &draws) == 2, source, ": malformed random state '",
               state, "'");
  generator.set_state(seed, draws);
}

}  // namespace dforge::models
