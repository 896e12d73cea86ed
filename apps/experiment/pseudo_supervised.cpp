#include "apps/experiment/pseudo_supervised.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "apps/demo/builtin.h"
#include "apps/exit_status.h"
#include "apps/experiment/pseudo_supervised_report.h"
#include "apps/experiment/splits.h"
#include "apps/inspect/train_inspector.h"
#include "apps/seggan/synthesize.h"
#include "apps/seggan/train_seggan.h"
#include "apps/training/run_folder.h"
#include "data/folder.h"
#include "data/mvtec.h"
#include "runtime/error.h"
#include "runtime/io/atomic_file.h"
#include "runtime/io/safetensors.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

const std::vector<double> kNormalSplit = {0.6, 0.2, 0.2};  // train, val, test (paper 000, V-B)

std::string path_in(const std::string& folder, const std::string& name) { return (fs::path(folder) / name).string(); }

// The surfaces a seggan checkpoint was trained on (its config), and the weights to paint with.
struct Painter {
  std::string checkpoint;
  std::vector<std::string> seen;
};

Painter prepare_seggan(const PseudoSupervisedOptions& options, const std::string& preset) {
  if (!options.seggan.empty()) {
    DFORGE_CHECK(fs::is_regular_file(options.seggan), "experiment: --seggan ", options.seggan, ": no such file");
    const models::SegganConfig config =
        models::seggan_config_from_json(checkpoint_config(io::load_safetensors(options.seggan), "seggan"));
    return {options.seggan, config.surfaces};
  }
  SegganRunOptions run;
  run.data = options.data;
  run.out = path_in(options.out, "seggan");
  run.config = seggan_preset(preset);
  if (options.seggan_steps > 0) run.config.steps = options.seggan_steps;
  run.device = options.device;
  run.resume = fs::exists(run_checkpoint_path(run.out));
  run.progress = options.progress;
  if (options.progress)
    std::fprintf(stderr, "experiment: seggan (%s preset, %lld steps) on %s\n", preset.c_str(),
                 static_cast<long long>(run.config.steps), options.data.c_str());
  const TrainingResult trained = train_seggan(run);
  if (trained.interrupted)
    stop_interrupted(concat("experiment: seggan training was interrupted at step ", trained.steps_done,
                            "; run the experiment again to continue"));
  return {trained.checkpoint, run.config.surfaces};
}

// The surfaces to test on: the requested ones (none of them seen by seggan), or every other one.
std::vector<std::string> unseen_surfaces(const PseudoSupervisedOptions& options, const std::vector<std::string>& seen) {
  auto is_seen = [&](const std::string& surface) { return std::find(seen.begin(), seen.end(), surface) != seen.end(); };
  std::vector<std::string> surfaces = options.unseen;
  if (surfaces.empty()) {
    for (const auto& entry : fs::directory_iterator(options.data))
      if (fs::is_directory(entry.path() / "train" / "good") && !is_seen(entry.path().filename().string()))
        surfaces.push_back(entry.path().filename().string());
    std::sort(surfaces.begin(), surfaces.end());
  }
  DFORGE_CHECK(!surfaces.empty(), "experiment: ", options.data, " has no surface that seggan was not trained on");
  for (const std::string& surface : surfaces) {
    DFORGE_CHECK(fs::is_directory(fs::path(options.data) / surface / "train" / "good"), "experiment: ",
                 options.data, "/", surface, ": no such surface (no train/good folder)");
    DFORGE_CHECK(!is_seen(surface), "experiment: ", surface, " is one of seggan's training surfaces; the "
                 "experiment needs surfaces whose defects it never saw");
  }
  return surfaces;
}

// Paints `per_image` random-mask defects on every image of IMAGES into OUT, unless OUT/synth.json
// says the same painting is there already.
void paint(const std::string& weights, const std::string& images, int per_image, uint64_t seed, const std::string& out,
           const PseudoSupervisedOptions& options) {
  const nlohmann::json recipe = {{"weights", fs::absolute(weights).string()}, {"per_image", per_image}, {"seed", seed},
                                 {"images", data::load_folder(images).size()}};
  const std::string marker = path_in(out, "synth.json");
  if (std::ifstream stream(marker); stream && nlohmann::json::parse(stream, nullptr, false) == recipe) return;
  fs::remove_all(out);
  SegganSynthOptions synth;
  synth.weights = weights;
  synth.images = images;
  synth.random_masks = per_image;
  synth.seed = seed;
  synth.out = out;
  synth.device = options.device;
  synth.progress = options.progress;
  synthesize_seggan(synth);
  io::write_file_atomically(marker, [&](std::ostream& stream) { stream << recipe.dump(2) << "\n"; });
}

// The folders of step 2 for one surface.
SplitCounts write_splits(const PseudoSupervisedOptions& options, const std::string& surface, const std::string& weights,
                         uint64_t surface_seed) {
  const std::string folder = path_in(options.out, surface);
  data::MvtecOptions mvtec;
  mvtec.categories = {surface};
  const data::Dataset all = data::load_mvtec(options.data, mvtec);
  const data::Dataset normals = data::select_entries(
      all, [](const data::SampleEntry& entry) { return entry.label == 0; }, options.data + "/" + surface + ": normal images");
  const data::Dataset defects = data::select_entries(
      all, [](const data::SampleEntry& entry) { return entry.label != 0; }, options.data + "/" + surface + ": real defects");
  const auto parts = split_indices(normals.size(), kNormalSplit, surface_seed);

  for (const char* part : {"train", "val", "test"}) fs::remove_all(path_in(folder, part));
  add_to_folder(normals, parts[0], path_in(folder, "train"));
  add_to_folder(normals, parts[1], path_in(folder, "val"));
  add_to_folder(normals, parts[2], path_in(folder, "test"));
  add_to_folder(defects, path_in(folder, "test"));

  // 1 per train normal and 2 per val normal: 0.6 N and 0.4 N synthetic images, i.e. 60/40. The val
  // folder holds only its normals until the val synthetic defects join them.
  const std::string synthetic = path_in(folder, "synthetic");
  if (options.progress) std::fprintf(stderr, "experiment: %s: painting synthetic defects\n", surface.c_str());
  paint(weights, path_in(path_in(folder, "train"), "images"), 1, surface_seed + 1, path_in(synthetic, "train"), options);
  paint(weights, path_in(path_in(folder, "val"), "images"), 2, surface_seed + 2, path_in(synthetic, "val"), options);
  const data::Dataset val_synthetic = data::load_folder(path_in(synthetic, "val"));
  add_to_folder(val_synthetic, path_in(folder, "val"));

  SplitCounts counts;
  counts.train_normal = int64_t(parts[0].size());
  counts.val_normal = int64_t(parts[1].size());
  counts.test_normal = int64_t(parts[2].size());
  counts.train_synthetic = data::load_folder(path_in(synthetic, "train")).size();
  counts.val_synthetic = val_synthetic.size();
  counts.real_defects = defects.size();
  return counts;
}

InspectConfig inspector_config(const std::string& kind, const std::string& preset,
                               const PseudoSupervisedOptions& options) {
  InspectConfig config;
  config.kind = kind;
  config.depth = 18;
  config.seed = options.seed;
  const bool gpu = preset == "gpu";
  config.size = options.size > 0 ? options.size : (gpu ? 256 : 64);
  config.width = options.width > 0 ? options.width : 64;
  config.batch = options.batch > 0 ? options.batch : (gpu ? 32 : 16);
  config.steps = options.steps > 0 ? options.steps : (gpu ? 4000 : 400);
  config.validate_every = std::max<int64_t>(1, config.steps / 12);
  config.checkpoint_every = std::max<int64_t>(1, config.steps / 4);
  return config;
}

// Trains (or resumes, or reuses) one inspector of the surface and scores its best weights on test.
SelectedInspector train_and_select(const PseudoSupervisedOptions& options, const std::string& surface,
                                   const std::string& kind, const std::string& preset, bool with_defects) {
  const std::string folder = path_in(options.out, surface);
  InspectRunOptions run;
  run.data = path_in(folder, "train");
  if (with_defects) run.defects = path_in(path_in(folder, "synthetic"), "train");
  run.validation = path_in(folder, "val");
  run.out = path_in(folder, kind);
  run.config = inspector_config(kind, preset, options);
  run.device = options.device;
  run.resume = fs::exists(run_checkpoint_path(run.out));
  run.progress = options.progress;
  if (options.progress) std::fprintf(stderr, "experiment: %s: %s\n", surface.c_str(), kind.c_str());
  const InspectRunResult trained = train_inspector(run);
  if (trained.interrupted)
    stop_interrupted(concat("experiment: the ", kind, " run of ", surface,
                            " was interrupted; run the experiment again to continue"));

  SelectedInspector selected;
  selected.checkpoint = trained.best_checkpoint;
  selected.step = trained.best_step;
  selected.validation_auroc = trained.best_validation_auroc.value_or(0.0);
  InspectEvalOptions evaluation;
  evaluation.checkpoint = selected.checkpoint;
  evaluation.data = path_in(folder, "test");
  evaluation.device = options.device;
  evaluation.progress = false;
  selected.test = evaluate_inspector(evaluation);
  return selected;
}

}  // namespace

PseudoSupervisedResult run_pseudo_supervised(const PseudoSupervisedOptions& options) {
  const std::string preset = resolve_preset(options.preset, options.device, "experiment");
  ensure_builtin_dataset(options.data, options.progress);
  const Painter painter = prepare_seggan(options, preset);
  const std::vector<std::string> surfaces = unseen_surfaces(options, painter.seen);

  PseudoSupervisedResult result;
  result.seggan_checkpoint = painter.checkpoint;
  for (size_t index = 0; index < surfaces.size(); ++index) {
    SurfaceOutcome outcome;
    outcome.surface = surfaces[index];
    outcome.counts = write_splits(options, outcome.surface, painter.checkpoint, options.seed * 1000 + index * 10);
    outcome.autoencoder = train_and_select(options, outcome.surface, "autoencoder", preset, false);
    outcome.classifier = train_and_select(options, outcome.surface, "classifier", preset, true);
    result.surfaces.push_back(std::move(outcome));
  }
  result.table = markdown(table_iii(result)) + "\n" + markdown(details_table(result));
  io::write_file_atomically(path_in(options.out, "table.md"), [&](std::ostream& out) { out << result.table; });
  io::write_file_atomically(path_in(options.out, "results.json"),
                            [&](std::ostream& out) { out << to_json(result).dump(2) << "\n"; });
  write_pseudo_supervised_report(result, options.out);
  return result;
}

nlohmann::json to_json(const PseudoSupervisedResult& result) {
  auto selected = [](const SelectedInspector& model) {
    return nlohmann::json{{"checkpoint", model.checkpoint},
                          {"step", model.step},
                          {"validation_auroc", model.validation_auroc},
                          {"test", to_json(model.test)}};
  };
  nlohmann::json surfaces = nlohmann::json::array();
  for (const SurfaceOutcome& s : result.surfaces) {
    const SplitCounts& c = s.counts;
    surfaces.push_back({{"surface", s.surface},
                        {"counts",
                         {{"train_normal", c.train_normal},
                          {"val_normal", c.val_normal},
                          {"test_normal", c.test_normal},
                          {"train_synthetic", c.train_synthetic},
                          {"val_synthetic", c.val_synthetic},
                          {"real_defects", c.real_defects}}},
                        {"pseudo_supervised", selected(s.classifier)},
                        {"semi_supervised", selected(s.autoencoder)}});
  }
  return {{"seggan", result.seggan_checkpoint}, {"surfaces", surfaces}};
}

}  // namespace dforge::apps
