#include "apps/pseudo/train_pseudo.h"

#include <cstdio>
#include <optional>

#include "apps/report/image_grid.h"
#include "apps/training/run_folder.h"
#include "apps/training/step_batches.h"
#include "data/mvtec.h"
#include "models/pseudo/batch.h"
#include "models/pseudo/trainer.h"
#include "runtime/error.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {
namespace {

const std::vector<std::string> kLossColumns = {"bce", "dice", "total"};

std::string losses_text(const models::PseudoLosses& losses) {
  char text[96];
  std::snprintf(text, sizeof text, "loss %.4f (bce %.4f dice %.4f)", losses.total, losses.bce, losses.dice);
  return text;
}

StepBatches open_normal_crops(const std::string& root, const models::PseudoConfig& config, int workers,
                              int* channels) {
  data::MvtecOptions options;
  options.categories = config.surfaces;
  options.split = "train";
  auto normal = std::make_shared<data::Dataset>(data::load_mvtec(root, options));
  *channels = normal->channels();
  data::TransformOptions transforms;
  transforms.resize_height = transforms.resize_width = config.resize;
  transforms.crop = data::CropMode::random;
  transforms.crop_height = transforms.crop_width = config.crop;
  transforms.flip_horizontal = transforms.flip_vertical = true;
  data::LoaderOptions loader;
  loader.batch_size = config.batch;
  loader.workers = workers;
  loader.seed = config.seed;
  return StepBatches(normal, transforms, loader, root + " normal images");
}

// Per sample (at most four): painted crop | true mask | predicted probability.
void write_samples(const models::PseudoVisuals& visuals, const std::string& path) {
  std::vector<std::vector<Tensor>> rows;
  for (int64_t i = 0; i < std::min<int64_t>(visuals.images.size(0), 4); ++i) {
    auto pick = [i](const Tensor& batch) { return batch_image(batch, i); };
    rows.push_back({pick(visuals.images), pick(visuals.masks), pick(visuals.probabilities)});
  }
  write_image_grid(path, rows);
}

}  // namespace

TrainingResult train_pseudo(const PseudoRunOptions& options) {
  const std::string checkpoint_path = check_run_folder(options.out, options.resume, "a pseudo run");
  auto start = run_start(checkpoint_path, options.resume, options.config, "pseudo", models::pseudo_config_from_json);
  models::PseudoConfig& config = start.config;
  int channels = 0;
  StepBatches normal = open_normal_crops(options.data, config, options.workers, &channels);
  if (!options.resume) config.image_channels = channels;
  DFORGE_CHECK(channels == config.image_channels, options.data, ": images have ", channels,
               " channels, the run was trained on ", config.image_channels);
  config.validate();
  const models::pseudo::PseudoOptions painter = config.pseudo_options();

  models::PseudoTrainer trainer(config, options.device);
  if (start.checkpoint) trainer.load(start.checkpoint->tensors, start.checkpoint->metadata, checkpoint_path);
  start.checkpoint.reset();
  write_run_config(options.out, models::to_json(config));

  TrainingLoop loop = training_loop("pseudo", options, checkpoint_path, trainer.steps_done(), config.steps,
                                    config.sample_every, config.checkpoint_every);
  loop.columns = kLossColumns;
  loop.step = [&](int64_t step) {
    models::pseudo::PaintedBatch batch =
        models::pseudo::paint_batch(normal.at(step).images, painter, config.defect_probability, config.seed, step);
    models::PseudoLosses losses = trainer.step(batch.images, batch.masks);
    return StepOutcome{{}, {losses.bce, losses.dice, losses.total}, losses_text(losses), losses.finite()};
  };
  loop.write_samples = [&](const std::string& path) { write_samples(trainer.visuals(), path); };
  loop.save = [&] { io::save_safetensors(checkpoint_path, trainer.state_dict(), trainer.metadata()); };
  return run_training_loop(loop);
}

}  // namespace dforge::apps
