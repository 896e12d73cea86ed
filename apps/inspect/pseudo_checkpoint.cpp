#include "apps/inspect/pseudo_checkpoint.h"

#include "apps/inspect/inspector_kinds.h"
#include "models/pseudo/config.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

InspectConfig segmenter_config(const models::PseudoConfig& pseudo) {
  InspectConfig config;
  config.kind = "segmenter";
  config.channels = pseudo.image_channels;
  config.ngf = pseudo.ngf;
  config.unet_downs = pseudo.unet_downs;
  config.norm = pseudo.norm;
  config.dice_weight = pseudo.dice_weight;
  config.size = pseudo.resize;
  config.batch = pseudo.resize > 0 ? pseudo.batch : 1;  // native sizes may differ between images
  config.steps = pseudo.steps;
  config.lr = pseudo.lr;
  config.seed = pseudo.seed;
  return config;
}

}  // namespace

bool is_pseudo_checkpoint(const io::TensorFile& file) {
  auto model = file.metadata.find("model");
  return model != file.metadata.end() && model->second == "pseudo";
}

LoadedInspector load_pseudo_as_inspector(const io::TensorFile& file, const std::string& path) {
  auto config = file.metadata.find("config");
  auto step = file.metadata.find("step");
  DFORGE_CHECK(is_pseudo_checkpoint(file) && config != file.metadata.end() && step != file.metadata.end(), path,
               ": not a pseudo checkpoint (no \"config\" or \"step\" in its metadata)");
  LoadedInspector loaded;
  loaded.state.config = segmenter_config(models::pseudo_config_from_json(nlohmann::json::parse(config->second)));
  loaded.state.steps_done = std::stoll(step->second);
  loaded.state.threshold = 0.5;
  Generator generator(loaded.state.config.seed);
  loaded.inspector = find_inspector_kind("segmenter").make(loaded.state.config, generator);
  NamedTensors weights;
  for (const auto& [name, tensor] : file.tensors) {
    if (name.rfind("segmenter.", 0) == 0) weights.emplace_back(name, tensor);
  }
  loaded.inspector->load_state_dict(weights, path);
  return loaded;
}

}  // namespace dforge::apps
