#include "apps/seggan/train_seggan.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "apps/commands/progress_bar.h"
#include "apps/interrupt.h"
#include "apps/report/image_grid.h"
#include "apps/seggan/loss_log.h"
#include "apps/seggan/seggan_data.h"
#include "models/seggan/trainer.h"
#include "runtime/io/atomic_file.h"
#include "runtime/io/safetensors.h"
#include "runtime/elementwise.h"
#include "runtime/shape_ops.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kLossColumns = {"g_gan_y", "g_gan_x", "cycle", "identity", "g_total",
                                               "d_y",     "d_x",     "lr",    "seconds"};

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
    auto pick = [&](const Tensor& batch) {
      Tensor one = runtime::slice(batch, 0, i, i + 1).to(Device::cpu());
      return one.reshape({one.size(1), one.size(2), one.size(3)});
    };
    Tensor mask = runtime::affine(pick(v.mask), 2.0, -1.0);  // [0, 1] -> the grid's [-1, 1]
    rows.push_back({pick(v.normal), mask, pick(v.fake_y), pick(v.rec_x)});
    rows.push_back({pick(v.defective), mask, pick(v.fake_x), pick(v.rec_y)});
  }
  GridOptions options;
  options.signed_range = true;
  write_image_grid(path, rows, options);
}

void save_checkpoint(const models::SegganTrainer& trainer, const std::string& path) {
  io::save_safetensors(path, trainer.state_dict(), trainer.metadata());
}

void save_painter(models::SegganTrainer& trainer, const std::string& path) {
  NamedTensors weights;
  for (auto& [name, tensor] : trainer.networks().g_y->state_dict()) weights.emplace_back(name, tensor.to(Device::cpu()));
  io::save_safetensors(path, weights, {{"model", "seggan G_y"}, {"config", models::to_json(trainer.config()).dump()}});
}

// The config a run continues with: the checkpoint's, with a new step count when one was given.
models::SegganConfig resumed_config(const io::TensorFile& checkpoint, const models::SegganConfig& requested) {
  auto found = checkpoint.metadata.find("config");
  DFORGE_CHECK(found != checkpoint.metadata.end(), checkpoint.path, ": not a seggan checkpoint (no config)");
  models::SegganConfig config = models::seggan_config_from_json(nlohmann::json::parse(found->second));
  config.steps = std::max(config.steps, requested.steps);
  return config;
}

}  // namespace

std::string seggan_checkpoint_path(const std::string& run) { return (fs::path(run) / "checkpoint.safetensors").string(); }

SegganRunResult train_seggan(const SegganRunOptions& options) {
  const std::string checkpoint_path = seggan_checkpoint_path(options.out);
  const bool has_checkpoint = fs::exists(checkpoint_path);
  DFORGE_CHECK(options.resume || !has_checkpoint, options.out,
               " already holds a seggan run; pass --resume to continue it, or choose another --out");
  DFORGE_CHECK(!options.resume || has_checkpoint, "--resume: no checkpoint at ", checkpoint_path);

  std::optional<io::TensorFile> checkpoint;
  models::SegganConfig config = options.config;
  if (options.resume) {
    checkpoint = io::load_safetensors(checkpoint_path);
    config = resumed_config(*checkpoint, options.config);
  }
  SegganData data = open_seggan_data(options.data, config, options.workers);
  if (!options.resume) config.image_channels = data.channels;
  DFORGE_CHECK(data.channels == config.image_channels, options.data, ": images have ", data.channels,
               " channels, the run was trained on ", config.image_channels);
  config.validate();

  models::SegganTrainer trainer(config, options.device);
  if (checkpoint) trainer.load(checkpoint->tensors, checkpoint->metadata, checkpoint_path);
  checkpoint.reset();

  fs::create_directories(fs::path(options.out) / "samples");
  io::write_file_atomically((fs::path(options.out) / "config.json").string(),
                            [&](std::ostream& out) { out << models::to_json(config).dump(2) << "\n"; });
  LossLog log((fs::path(options.out) / "losses.csv").string(), kLossColumns,
              options.resume ? trainer.steps_done() : -1);

  SegganRunResult result;
  result.checkpoint = checkpoint_path;
  const int64_t first_step = trainer.steps_done();
  std::string status;  // the last losses, for the progress bar
  InterruptGuard interrupt;
  ProgressBar bar("seggan", "steps", first_step);
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };

  while (trainer.steps_done() < config.steps) {
    const int64_t step = trainer.steps_done();
    data::Batch normal = data.normal->at(step);
    data::Batch defective = data.defective->at(step);
    const double lr = trainer.learning_rate();
    models::SegganLosses losses = trainer.step(normal.images, defective.images, defective.masks);
    DFORGE_CHECK(losses.finite(), "seggan: a loss became NaN or infinite at step ", step + 1, " (",
                 losses_text(losses), "); stopped. ", checkpoint_path,
                 " holds the last good state; try a lower --lr");
    log.append(step + 1, {losses.g_gan_y, losses.g_gan_x, losses.cycle, losses.identity, losses.g_total,
                          losses.d_y, losses.d_x, lr, elapsed()});
    const int64_t done = trainer.steps_done();
    status = losses_text(losses);
    if (options.progress) bar.update(done, config.steps, status);
    if (config.sample_every > 0 && (done % config.sample_every == 0 || done == config.steps)) {
      char name[64];
      std::snprintf(name, sizeof name, "step_%06lld.png", static_cast<long long>(done));
      write_samples(trainer, (fs::path(options.out) / "samples" / name).string());
    }
    if (interrupt.requested() || done == options.stop_at) {
      result.interrupted = true;
      break;
    }
    if (config.checkpoint_every > 0 && done % config.checkpoint_every == 0 && done < config.steps)
      save_checkpoint(trainer, checkpoint_path);
  }
  if (options.progress) bar.finish(trainer.steps_done(), config.steps, status);
  save_checkpoint(trainer, checkpoint_path);
  save_painter(trainer, (fs::path(options.out) / "G_y.safetensors").string());
  result.steps_done = trainer.steps_done();
  result.steps_run = result.steps_done - first_step;
  result.seconds = elapsed();
  return result;
}

}  // namespace dforge::apps
