#include "apps/inspect/inspector_checkpoint.h"

#include <map>

#include "apps/training/run_folder.h"
#include "apps/inspect/inspector_kinds.h"
#include "apps/inspect/pseudo_checkpoint.h"
#include "runtime/error.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {
namespace {

const char* const kFormat = "dforge inspector";

NamedTensors prefixed(const NamedTensors& tensors, const std::string& prefix) {
  NamedTensors out;
  for (const auto& [name, tensor] : tensors) out.emplace_back(prefix + name, tensor.to(Device::cpu()));
  return out;
}

NamedTensors unprefixed(const NamedTensors& tensors, const std::string& prefix) {
  NamedTensors out;
  for (const auto& [name, tensor] : tensors) {
    if (name.rfind(prefix, 0) == 0) out.emplace_back(name.substr(prefix.size()), tensor);
  }
  return out;
}

}  // namespace

void save_inspector_checkpoint(const std::string& path, models::Inspector& inspector, const InspectorState& state,
                               const Optimizer* optimizer) {
  NamedTensors tensors = prefixed(inspector.state_dict(), "model.");
  if (optimizer) {
    for (auto& entry : prefixed(optimizer->state_dict(), "optimizer.")) tensors.push_back(std::move(entry));
  }
  std::map<std::string, std::string> metadata = {{"format", kFormat},
                                                 {"config", to_json(state.config).dump()},
                                                 {"steps_done", std::to_string(state.steps_done)},
                                                 {"threshold", nlohmann::json(state.threshold).dump()}};
  if (state.validation_auroc) metadata["validation_auroc"] = nlohmann::json(*state.validation_auroc).dump();
  io::save_safetensors(path, tensors, metadata);
}

LoadedInspector load_inspector_checkpoint(const std::string& path) {
  io::TensorFile file = io::load_safetensors(path);
  if (is_pseudo_checkpoint(file)) return load_pseudo_as_inspector(file, path);
  auto format = file.metadata.find("format");
  DFORGE_CHECK(format != file.metadata.end() && format->second == kFormat, path,
               ": not an inspector checkpoint (no \"format\": \"", kFormat,
               "\" metadata) nor one of `dforge train pseudo`");
  LoadedInspector loaded;
  loaded.state.config = inspect_config_from_json(nlohmann::json::parse(file.metadata.at("config")));
  loaded.state.steps_done = std::stoll(file.metadata.at("steps_done"));
  loaded.state.threshold = nlohmann::json::parse(file.metadata.at("threshold")).get<double>();
  if (auto auroc = file.metadata.find("validation_auroc"); auroc != file.metadata.end())
    loaded.state.validation_auroc = nlohmann::json::parse(auroc->second).get<double>();
  Generator generator(loaded.state.config.seed);
  loaded.inspector = find_inspector_kind(loaded.state.config.kind).make(loaded.state.config, generator);
  loaded.inspector->load_state_dict(unprefixed(file.tensors, "model."), path);
  loaded.optimizer_state = unprefixed(file.tensors, "optimizer.");
  return loaded;
}

}  // namespace dforge::apps
