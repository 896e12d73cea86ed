#include "apps/seggan/synthesize.h"

#include <algorithm>
#include <filesystem>

#include "apps/commands/progress_bar.h"
#include "apps/report/image_grid.h"
#include "apps/synthesis/mask_source.h"
#include "autograd/grad_mode.h"
#include "data/folder.h"
#include "data/sample_writer.h"
#include "models/seggan/networks.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"
#include "runtime/io/safetensors.h"
#include "runtime/shape_ops.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

// G_y from a checkpoint (prefixed "G_y.") or from G_y.safetensors (reference names alone).
std::shared_ptr<Module> load_painter(const std::string& path) {
  io::TensorFile file = io::load_safetensors(path);
  auto config_json = file.metadata.find("config");
  DFORGE_CHECK(config_json != file.metadata.end(), path, ": not a seggan checkpoint or G_y file (no config)");
  models::SegganConfig config = models::seggan_config_from_json(nlohmann::json::parse(config_json->second));
  Generator generator(config.seed);
  models::SegganNetworks networks(config, generator);
  const bool painter_only = file.metadata.count("model") && file.metadata.at("model") == "seggan G_y";
  if (painter_only)
    networks.g_y->load_state_dict(file.tensors, path);
  else
    networks.g_y->load_state_dict(models::strip_prefix(file.tensors, "G_y."), path);
  return networks.g_y;
}

// G_y([2x - 1, s]) mapped back to [0, 1].
Tensor paint(Module& painter, const Tensor& image, const Tensor& mask, Device device) {
  NoGradGuard no_grad;
  Tensor input = runtime::cat({runtime::affine(image, 2.0, -1.0), mask}, 0);
  input = input.reshape({1, input.size(0), input.size(1), input.size(2)}).to(device);
  Tensor output = painter(Variable(input)).data().to(Device::cpu());
  output = output.reshape({output.size(1), output.size(2), output.size(3)});
  return runtime::unary(runtime::UnaryOp::clamp, runtime::affine(output, 0.5, 0.5), 0.0, 1.0);
}

}  // namespace

int64_t synthesize_seggan(const SegganSynthOptions& options) {
  DFORGE_CHECK(options.masks.empty() != (options.random_masks == 0),
               "synth: give either --masks DIR or --random-masks N (N >= 1)");
  std::shared_ptr<Module> painter = load_painter(options.weights);
  painter->to(options.device);
  painter->eval();
  data::Dataset images = data::load_folder(options.images);
  const int results = std::max(options.random_masks, 1);
  fs::create_directories(fs::path(options.out) / "images");
  fs::create_directories(fs::path(options.out) / "masks");

  ProgressBar bar("synth", "img");
  int64_t written = 0;
  const int64_t total = images.size() * results;
  for (int64_t i = 0; i < images.size(); ++i) {
    data::Sample sample = images.load(i);
    const std::string stem = fs::path(sample.path).stem().string();
    for (int k = 0; k < results; ++k) {
      const Tensor mask = synthesis_mask({options.masks, options.seed}, sample, i, k);
      const std::string name = results == 1 ? stem : stem + "-" + std::to_string(k);
      data::write_sample_image((fs::path(options.out) / "images" / (name + ".png")).string(),
                               paint(*painter, sample.image, mask, options.device));
      data::write_mask((fs::path(options.out) / "masks" / (name + ".png")).string(), mask);
      ++written;
      if (options.progress) bar.update(written, total);
    }
  }
  if (options.progress) bar.finish(written, total);
  return written;
}

void write_synthesis_grid(const std::string& images, const std::string& synthesis, int count, const std::string& path) {
  data::Dataset inputs = data::load_folder(images);
  data::Dataset outputs = data::load_folder(synthesis);
  std::vector<std::vector<Tensor>> rows;
  for (int64_t i = 0; i < std::min<int64_t>(count, outputs.size()); ++i) {
    data::Sample output = outputs.load(i);
    data::Sample input = inputs.load(i);
    rows.push_back({input.image, output.mask, output.image});
  }
  write_image_grid(path, rows);
}

}  // namespace dforge::apps
