#include "apps/seggan/train_seggan.h"

#include <cstdio>
#include <filesystem>
#include <optional>

#include "apps/report/image_grid.h"
#include "apps/training/gan_data.h"
#include "apps/training/run_folder.h"
#include "models/seggan/trainer.h"
#include "runtime/elementwise.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kLossColumns = {"g_gan_y", "g_gan_x", "cycle", "identity",
                                               "g_total", "d_y",     "d_x",   "lr"};

std::string losses_text(const models::SegganLosses& losses) {
  char text[128];
  std::snprintf(text, sizeof text, "G %.3f (gan_y %.3f cyc %.3f)  D_y %.3f D_x %.3f", losses.g_total,
                losses.g_gan_y, losses.cycle, losses.d_y, losses.d_x);
  return text;
}

// Two grid rows per sample (at most four samples): the painting cycle and the removing cycle.
void write_samples(const models::SegganTrainer& trainer, const std::string& path) {
  const models::SegganVisuals& v = trainer.visuals();
  const int64_t count = std::min<int64_t>(v.normal.size(0), 4);
  std::vector<std::vector<Tensor>> rows;
  for (int64_t i = 0; i < count; ++i) {
    auto pick = [i](const Tensor& batch) { return batch_image(batch, i); };
    Tensor mask = runtime::affine(pick(v.mask), 2.0, -1.0);  // [0, 1] -> the grid's [-1, 1]
    rows.push_back({pick(v.normal), mask, pick(v.fake_y), pick(v.rec_x)});
    rows.push_back({pick(v.defective), mask, pick(v.fake_x), pick(v.rec_y)});
  }
  GridOptions options;
  options.signed_range = true;
  write_image_grid(path, rows, options);
}

void save_painter(models::SegganTrainer& trainer, const std::string& path) {
  NamedTensors weights;
  for (auto& [name, tensor] : trainer.networks().g_y->state_dict()) weights.emplace_back(name, tensor.to(Device::cpu()));
  io::save_safetensors(path, weights, {{"model", "seggan G_y"}, {"config", models::to_json(trainer.config()).dump()}});
}

}  // namespace

TrainingResult train_seggan(const SegganRunOptions& options) {
  const std::string checkpoint_path = check_run_folder(options.out, options.resume, "a seggan run");
  auto start = run_start(checkpoint_path, options.resume, options.config, "seggan", models::seggan_config_from_json);
  models::SegganConfig& config = start.config;
  GanData data = open_gan_data(options.data, {.surfaces = config.surfaces,
                                               .resize = config.resize,
                                               .crop = config.crop,
                                               .batch = config.batch,
                                               .seed = config.seed,
                                               .workers = options.workers});
  if (!options.resume) config.image_channels = data.channels;
  DFORGE_CHECK(data.channels == config.image_channels, options.data, ": images have ", data.channels,
               " channels, the run was trained on ", config.image_channels);
  config.validate();

  models::SegganTrainer trainer(config, options.device);
  if (start.checkpoint) trainer.load(start.checkpoint->tensors, start.checkpoint->metadata, checkpoint_path);
  start.checkpoint.reset();
  write_run_config(options.out, models::to_json(config));

  TrainingLoop loop = training_loop("seggan", options, checkpoint_path, trainer.steps_done(), config.steps,
                                    config.sample_every, config.checkpoint_every);
  loop.columns = kLossColumns;
  loop.step = [&](int64_t step) {
    data::Batch normal = data.normal->at(step);
    data::Batch defective = data.defective->at(step);
    const double lr = trainer.learning_rate();
    models::SegganLosses losses = trainer.step(normal.images, defective.images, defective.masks);
    return StepOutcome{{},
                       {losses.g_gan_y, losses.g_gan_x, losses.cycle, losses.identity, losses.g_total, losses.d_y,
                        losses.d_x, lr},
                       losses_text(losses),
                       losses.finite()};
  };
  loop.write_samples = [&](const std::string& path) { write_samples(trainer, path); };
  loop.save = [&] { io::save_safetensors(checkpoint_path, trainer.state_dict(), trainer.metadata()); };
  TrainingResult result = run_training_loop(loop);
  save_painter(trainer, (fs::path(options.out) / "G_y.safetensors").string());
  return result;
}

}  // namespace dforge::apps
