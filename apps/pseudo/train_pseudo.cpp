#include "apps/pseudo/train_pseudo.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "apps/commands/progress_bar.h"
#include "apps/interrupt.h"
#include "apps/report/image_grid.h"
#include "apps/seggan/loss_log.h"
#include "apps/seggan/step_batches.h"
#include "data/mvtec.h"
#include "models/pseudo/batch.h"
#include "models/pseudo/trainer.h"
#include "runtime/error.h"
#include "runtime/io/atomic_file.h"
#include "runtime/io/safetensors.h"
#include "runtime/shape_ops.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kLossColumns = {"bce", "dice", "total", "seconds"};

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
    auto pick = [&](const Tensor& batch) {
      Tensor one = runtime::slice(batch, 0, i, i + 1).to(Device::cpu());
      return one.reshape({one.size(1), one.size(2), one.size(3)});
    };
    rows.push_back({pick(visuals.images), pick(visuals.masks), pick(visuals.probabilities)});
  }
  write_image_grid(path, rows);
}

models::PseudoConfig resumed_config(const io::TensorFile& checkpoint, const models::PseudoConfig& requested) {
  auto found = checkpoint.metadata.find("config");
  DFORGE_CHECK(found != checkpoint.metadata.end(), checkpoint.path, ": not a pseudo checkpoint (no config)");
  models::PseudoConfig config = models::pseudo_config_from_json(nlohmann::json::parse(found->second));
  config.steps = std::max(config.steps, requested.steps);
  return config;
}

}  // namespace

PseudoRunResult train_pseudo(const PseudoRunOptions& options) {
  const std::string checkpoint_path = (fs::path(options.out) / "checkpoint.safetensors").string();
  const bool has_checkpoint = fs::exists(checkpoint_path);
  DFORGE_CHECK(options.resume || !has_checkpoint, options.out,
               " already holds a pseudo run; pass --resume to continue it, or choose another --out");
  DFORGE_CHECK(!options.resume || has_checkpoint, "--resume: no checkpoint at ", checkpoint_path);

  std::optional<io::TensorFile> checkpoint;
  models::PseudoConfig config = options.config;
  if (options.resume) {
    checkpoint = io::load_safetensors(checkpoint_path);
    config = resumed_config(*checkpoint, options.config);
  }
  int channels = 0;
  StepBatches normal = open_normal_crops(options.data, config, options.workers, &channels);
  if (!options.resume) config.image_channels = channels;
  DFORGE_CHECK(channels == config.image_channels, options.data, ": images have ", channels,
               " channels, the run was trained on ", config.image_channels);
  config.validate();
  const models::pseudo::PseudoOptions painter = config.pseudo_options();

  models::PseudoTrainer trainer(config, options.device);
  if (checkpoint) trainer.load(checkpoint->tensors, checkpoint->metadata, checkpoint_path);
  checkpoint.reset();

  fs::create_directories(fs::path(options.out) / "samples");
  io::write_file_atomically((fs::path(options.out) / "config.json").string(),
                            [&](std::ostream& out) { out << models::to_json(config).dump(2) << "\n"; });
  LossLog log((fs::path(options.out) / "losses.csv").string(), kLossColumns,
              options.resume ? trainer.steps_done() : -1);
  auto save = [&] { io::save_safetensors(checkpoint_path, trainer.state_dict(), trainer.metadata()); };

  PseudoRunResult result;
  result.checkpoint = checkpoint_path;
  const int64_t first_step = trainer.steps_done();
  std::string status;
  InterruptGuard interrupt;
  ProgressBar bar("pseudo", "steps");
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };

  while (trainer.steps_done() < config.steps) {
    const int64_t step = trainer.steps_done();
    models::pseudo::PaintedBatch batch =
        models::pseudo::paint_batch(normal.at(step).images, painter, config.defect_probability, config.seed, step);
    models::PseudoLosses losses = trainer.step(batch.images, batch.masks);
    DFORGE_CHECK(losses.finite(), "pseudo: a loss became NaN or infinite at step ", step + 1, " (",
                 losses_text(losses), "); stopped. ", checkpoint_path, " holds the last good state; try a lower --lr");
    log.append(step + 1, {losses.bce, losses.dice, losses.total, elapsed()});
    const int64_t done = trainer.steps_done();
    status = losses_text(losses);
    if (options.progress) bar.update(done, config.steps, status);
    if (config.sample_every > 0 && (done % config.sample_every == 0 || done == config.steps)) {
      char name[64];
      std::snprintf(name, sizeof name, "step_%06lld.png", static_cast<long long>(done));
      write_samples(trainer.visuals(), (fs::path(options.out) / "samples" / name).string());
    }
    if (interrupt.requested() || done == options.stop_at) {
      result.interrupted = true;
      break;
    }
    if (config.checkpoint_every > 0 && done % config.checkpoint_every == 0 && done < config.steps) save();
  }
  if (options.progress) bar.finish(trainer.steps_done(), config.steps, status);
  save();
  result.steps_done = trainer.steps_done();
  result.steps_run = result.steps_done - first_step;
  result.seconds = elapsed();
  return result;
}

}  // namespace dforge::apps
