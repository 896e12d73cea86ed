#include "apps/defectgan/train_defectgan.h"

#include <cstdio>
#include <filesystem>

#include "apps/report/image_grid.h"
#include "apps/training/gan_data.h"
#include "apps/training/run_folder.h"
#include "autograd/grad_mode.h"
#include "models/defectgan/trainer.h"
#include "runtime/elementwise.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kLossColumns = {"d_adv", "d_cls", "d_gp",     "d_total",  "g_adv", "g_cls",
                                               "g_rec", "g_sd_cyc", "g_sd_con", "g_total", "lr"};

std::string losses_text(const models::DefectganLosses& losses) {
  char text[128];
  std::snprintf(text, sizeof text, "D %.3f (gp %.3f)  G %.3f (rec %.3f)", losses.d_total, losses.d_gp,
                losses.g_total, losses.g_rec);
  return text;
}

// [N, K] one-hot labels of a defective batch: each image's defect kind as its class.
Tensor class_labels(const data::Batch& batch, const models::DefectganConfig& config) {
  std::vector<double> values(batch.defects.size() * size_t(config.classes), 0.0);
  for (size_t i = 0; i < batch.defects.size(); ++i) values[i * config.classes + config.class_of(batch.defects[i])] = 1.0;
  return Tensor::from_values(values, {int64_t(batch.defects.size()), int64_t(config.classes)});
}

// One grid row per sample (at most four): the defacement of a normal image with the defective
// batch's labels and the restoration of a defective one, each with its spatial distribution map.
// The noise comes from a stream of its own, so writing samples leaves the run's stream alone.
void write_samples(models::DefectganTrainer& trainer, const Tensor& normal, const Tensor& defective,
                   const Tensor& labels, const std::string& path) {
  NoGradGuard no_grad;
  const models::DefectganConfig& config = trainer.config();
  models::PhiloxRandomness noise(config.seed);
  const Device device = trainer.device();
  const int64_t size = normal.size(2);
  Tensor target = models::control_map(labels, size, size);
  Tensor restore = Tensor::zeros(target.shape());
  auto translate = [&](const Tensor& x, const Tensor& control) {
    models::GeneratorOutput out = trainer.generator().forward(Variable(x.to(device)), Variable(control.to(device)), noise);
    if (!out.map.defined()) return std::pair{out.foreground.data().to(Device::cpu()), Tensor::zeros({x.size(0), 1, size, size})};
    Variable image = models::compose_layers(Variable(x.to(device)), out.foreground, out.map);
    return std::pair{image.data().to(Device::cpu()), out.map.data().to(Device::cpu())};
  };
  const auto [defaced, defaced_map] = translate(normal, target);
  const auto [restored, restored_map] = translate(defective, restore);
  std::vector<std::vector<Tensor>> rows;
  for (int64_t i = 0; i < std::min<int64_t>(normal.size(0), 4); ++i) {
    auto pick = [i](const Tensor& batch) { return batch_image(batch, i); };
    auto map = [&](const Tensor& batch) { return runtime::affine(pick(batch), 2.0, -1.0); };  // [0, 1] -> [-1, 1]
    rows.push_back({pick(normal), pick(defaced), map(defaced_map), pick(defective), pick(restored), map(restored_map)});
  }
  GridOptions options;
  options.signed_range = true;
  write_image_grid(path, rows, options);
}

void save_generator(models::DefectganTrainer& trainer, const std::string& path) {
  NamedTensors weights;
  for (auto& [name, tensor] : trainer.generator().state_dict()) weights.emplace_back(name, tensor.to(Device::cpu()));
  io::save_safetensors(path, weights, {{"model", "defectgan G"}, {"config", models::to_json(trainer.config()).dump()}});
}

}  // namespace

TrainingResult train_defectgan(const DefectganRunOptions& options) {
  const std::string checkpoint_path = check_run_folder(options.out, options.resume, "a defectgan run");
  auto start = run_start(checkpoint_path, options.resume, options.config, "defectgan",
                         models::defectgan_config_from_json);
  models::DefectganConfig& config = start.config;
  GanData data = open_gan_data(options.data, {.surfaces = config.surfaces,
                                               .resize = config.resize,
                                               .crop = config.image_size,
                                               .batch = config.batch,
                                               .seed = config.seed,
                                               .workers = options.workers});
  if (!options.resume) {
    config.image_channels = data.channels;
    config.class_names = data.defect_kinds;
    config.classes = int(data.defect_kinds.size());
  }
  DFORGE_CHECK(data.channels == config.image_channels, options.data, ": images have ", data.channels,
               " channels, the run was trained on ", config.image_channels);
  config.validate();

  models::DefectganTrainer trainer(config, options.device);
  if (start.checkpoint) trainer.load(start.checkpoint->tensors, start.checkpoint->metadata, checkpoint_path);
  start.checkpoint.reset();
  write_run_config(options.out, models::to_json(config));

  TrainingLoop loop = training_loop("defectgan", options, checkpoint_path, trainer.steps_done(), config.steps,
                                    config.sample_every, config.checkpoint_every);
  loop.columns = kLossColumns;
  data::Batch normal, defective;
  Tensor labels;
  loop.step = [&](int64_t step) {
    normal = data.normal->at(step);
    defective = data.defective->at(step);
    labels = class_labels(defective, config);
    const double lr = trainer.learning_rate();
    const models::DefectganLosses l = trainer.step(normal.images, defective.images, labels);
    return StepOutcome{{},
                       {l.d_adv, l.d_cls, l.d_gp, l.d_total, l.g_adv, l.g_cls, l.g_rec, l.g_sd_cyc, l.g_sd_con,
                        l.g_total, lr},
                       losses_text(l),
                       l.finite()};
  };
  loop.write_samples = [&](const std::string& path) {
    write_samples(trainer, normal.images, defective.images, labels, path);
  };
  loop.save = [&] { io::save_safetensors(checkpoint_path, trainer.state_dict(), trainer.metadata()); };
  TrainingResult result = run_training_loop(loop);
  save_generator(trainer, (fs::path(options.out) / "G.safetensors").string());
  return result;
}

}  // namespace dforge::apps
