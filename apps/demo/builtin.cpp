#include "apps/demo/builtin.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "data/procedural/datagen.h"
#include "runtime/error.h"

namespace dforge::apps {

const std::vector<std::string>& builtin_seen_surfaces() {
  static const std::vector<std::string> surfaces = {"plain_weave", "printed", "wood"};
  return surfaces;
}

double ensure_builtin_dataset(const std::string& root, bool progress) {
  namespace fs = std::filesystem;
  // Generated only into a missing or empty folder: anything else is the user's data (or an earlier
  // generation), never written into.
  if (fs::exists(root) && !(fs::is_directory(root) && fs::is_empty(root))) return 0.0;
  const auto start = std::chrono::steady_clock::now();
  data::DatagenOptions options;
  options.out = root;
  if (progress) std::fprintf(stderr, "generating the built-in dataset in %s\n", root.c_str());
  data::generate_dataset(options, {});
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string resolve_preset(const std::string& preset, Device device, const std::string& command) {
  if (preset == "auto") return device.is_cuda() ? "gpu" : "cpu";
  DFORGE_CHECK(preset == "cpu" || preset == "gpu", command, ": --preset must be auto, cpu or gpu, got '", preset,
               "'");
  return preset;
}

models::SegganConfig seggan_preset(const std::string& preset) {
  models::SegganConfig config;
  config.surfaces = builtin_seen_surfaces();
  config.lambda_clip = 0.0;
  if (preset == "gpu") {
    config.crop = 256;
    config.steps = 20000;
    config.sample_every = 1000;
    config.checkpoint_every = 1000;
    return config;
  }
  DFORGE_CHECK(preset == "cpu", "seggan preset '", preset, "' is neither cpu nor gpu");
  config.crop = 64;
  config.ngf = 32;
  config.ndf = 32;
  config.steps = 1500;
  config.sample_every = 250;
  config.checkpoint_every = 250;
  return config;
}

}  // namespace dforge::apps
