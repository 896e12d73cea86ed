#include "apps/defectgan/synthesize.h"

#include <filesystem>

#include "apps/commands/progress_bar.h"
#include "apps/synthesis/mask_source.h"
#include "autograd/grad_mode.h"
#include "data/folder.h"
#include "data/sample_writer.h"
#include "models/checkpoint_state.h"
#include "models/defectgan/networks.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

struct LoadedGenerator {
  models::DefectganConfig config;
  std::shared_ptr<models::DefectganGenerator> generator;
};

// G from a run's checkpoint (prefixed "G.") or from G.safetensors (G's names alone).
LoadedGenerator load_generator(const std::string& path) {
  io::TensorFile file = io::load_safetensors(path);
  auto config_json = file.metadata.find("config");
  DFORGE_CHECK(config_json != file.metadata.end(), path, ": not a defectgan checkpoint or G file (no config)");
  LoadedGenerator loaded;
  loaded.config = models::defectgan_config_from_json(nlohmann::json::parse(config_json->second));
  Generator init(loaded.config.seed);
  loaded.generator = std::make_shared<models::DefectganGenerator>(loaded.config, init);
  const bool generator_only = file.metadata.count("model") && file.metadata.at("model") == "defectgan G";
  loaded.generator->load_state_dict(generator_only ? file.tensors : models::strip_prefix(file.tensors, "G."), path);
  return loaded;
}

// [1, K, H, W]: class `kind` inside `region` ([1, H, W] in {0, 1}), no class elsewhere.
Tensor control_of(const Tensor& region, int kind, int classes) {
  std::vector<double> one_hot(size_t(classes), 0.0);
  one_hot[size_t(kind)] = 1.0;
  const Tensor column = Tensor::from_values(one_hot, {1, int64_t(classes), 1, 1});
  return runtime::mul(column, region.reshape({1, 1, region.size(1), region.size(2)}));
}

struct Painted {
  Tensor image, mask;  // [C, H, W] in [0, 1]; [1, H, W] in {0, 1}
};

Painted paint(models::DefectganGenerator& generator, const Tensor& image, const Tensor& control, const Tensor& region, models::StepRandomness& noise, Device device) {
  NoGradGuard no_grad;
  const Shape shape = {1, image.size(0), image.size(1), image.size(2)};
  Variable x(runtime::affine(image, 2.0, -1.0).reshape(shape).to(device));
  models::GeneratorOutput out = generator.forward(x, Variable(control.to(device)), noise);
  Painted painted;
  Variable result = out.foreground;
  painted.mask = region;
  if (out.map.defined()) {
    result = models::compose_layers(x, out.foreground, out.map);
    const Tensor map = out.map.data().to(Device::cpu()).reshape({1, image.size(1), image.size(2)});
    painted.mask = runtime::binary(runtime::BinaryOp::ge, map, Tensor::full(map.shape(), 0.5));
  }
  const Tensor output = result.data().to(Device::cpu()).reshape(image.shape());
  painted.image = runtime::unary(runtime::UnaryOp::clamp, runtime::affine(output, 0.5, 0.5), 0.0, 1.0);
  return painted;
}

}  // namespace

int64_t synthesize_defectgan(const DefectganSynthOptions& options) {
  DFORGE_CHECK(options.masks.empty() || options.random_masks == 0,
               "synth defectgan: give --masks DIR or --random-masks N, not both");
  LoadedGenerator loaded = load_generator(options.weights);
  const models::DefectganConfig& config = loaded.config;
  std::vector<int> kinds;
  for (const std::string& name : options.defects) kinds.push_back(config.class_of(name));
  if (kinds.empty())
    for (int k = 0; k < config.classes; ++k) kinds.push_back(k);
  auto kind_name = [&](int kind) {
    return config.class_names.empty() ? concat("class", kind) : config.class_names[size_t(kind)];
  };
  loaded.generator->to(options.device);
  loaded.generator->eval();
  models::PhiloxRandomness noise(options.seed);

  data::Dataset images = data::load_folder(options.images);
  DFORGE_CHECK(images.channels() == config.image_channels, options.images, ": images have ", images.channels(),
               " channels, ", options.weights, " was trained on ", config.image_channels);
  const int results = std::max(options.random_masks, 1);
  const bool whole_image = options.masks.empty() && options.random_masks == 0;
  fs::create_directories(fs::path(options.out) / "images");
  fs::create_directories(fs::path(options.out) / "masks");

  ProgressBar bar("synth", "img");
  int64_t written = 0;
  const int64_t total = images.size() * int64_t(kinds.size()) * results;
  for (int64_t i = 0; i < images.size(); ++i) {
    data::Sample sample = images.load(i);
    DFORGE_CHECK(sample.image.size(1) % 4 == 0 && sample.image.size(2) % 4 == 0, sample.path, ": ",
                 sample.image.size(2), " x ", sample.image.size(1),
                 "; defectgan needs sides divisible by 4 (two downsamplings)");
    const std::string stem = fs::path(sample.path).stem().string();
    for (size_t j = 0; j < kinds.size(); ++j) {
      for (int k = 0; k < results; ++k) {
        const Tensor region = whole_image ? Tensor::full({1, sample.image.size(1), sample.image.size(2)}, 1.0)
                                          : synthesis_mask({options.masks, options.seed}, sample, i, k);
        const Painted painted = paint(*loaded.generator, sample.image,
                                      control_of(region, kinds[j], config.classes), region, noise, options.device);
        const std::string name =
            results == 1 ? concat(stem, "-", kind_name(kinds[j])) : concat(stem, "-", kind_name(kinds[j]), "-", k);
        data::write_sample_image((fs::path(options.out) / "images" / (name + ".png")).string(), painted.image);
        data::write_mask((fs::path(options.out) / "masks" / (name + ".png")).string(), painted.mask);
        ++written;
        if (options.progress) bar.update(written, total);
      }
    }
  }
  if (options.progress) bar.finish(written, total);
  return written;
}

}  // namespace dforge::apps
