// The pseudo-supervised experiment (apps/experiment/) and what it is built from: seeded splits
// written as plain folders, inspector runs that keep the best weights on a validation set, and the
// whole experiment end to end at toy size (4 surfaces of 64 x 64 images, a few steps of everything).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "apps/exit_status.h"
#include "apps/experiment/pseudo_supervised.h"
#include "apps/experiment/splits.h"
#include "apps/inspect/eval_inspector.h"
#include "apps/inspect/inspector_checkpoint.h"
#include "apps/inspect/train_inspector.h"
#include "apps/training/loss_log.h"
#include "data/folder.h"
#include "data/mvtec.h"
#include "runtime/error.h"
#include "tests/apps/inspect_fixtures.h"
#include "tests/support/same_checkpoints.h"
#include "tests/support/temporary_directory.h"
#include "tests/support/tiny_dataset.h"

using namespace dforge;
using namespace dforge::apps;
using namespace dforge::testing;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::vector<int64_t> sorted(std::vector<int64_t> values) {
  std::sort(values.begin(), values.end());
  return values;
}

// (device, inode) of a file: equal for hard links of one file.
std::pair<uint64_t, uint64_t> file_identity(const fs::path& path) {
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return {uint64_t(status.st_dev), uint64_t(status.st_ino)};
}

std::set<std::pair<uint64_t, uint64_t>> identities_in(const fs::path& folder) {
  std::set<std::pair<uint64_t, uint64_t>> identities;
  for (const auto& entry : fs::directory_iterator(folder)) identities.insert(file_identity(entry.path()));
  return identities;
}

// Samples of `label` once read (a plain folder's labels come from the masks' content).
int64_t labelled(const data::Dataset& dataset, int label) {
  int64_t count = 0;
  for (int64_t i = 0; i < dataset.size(); ++i) count += dataset.load(i).label == label;
  return count;
}

}  // namespace

TEST_CASE("split_indices cuts a seeded permutation at the rounded cumulative fractions", "[experiment]") {
  const auto parts = split_indices(400, {0.6, 0.2, 0.2}, 7);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].size() == 240);
  CHECK(parts[1].size() == 80);
  CHECK(parts[2].size() == 80);
  std::vector<int64_t> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  std::vector<int64_t> expected(400);
  for (int64_t i = 0; i < 400; ++i) expected[size_t(i)] = i;
  CHECK(sorted(all) == expected);  // a partition: every index exactly once
  CHECK(all != expected);          // and shuffled

  CHECK(split_indices(400, {0.6, 0.2, 0.2}, 7) == parts);
  CHECK(split_indices(400, {0.6, 0.2, 0.2}, 8) != parts);
  // 12 normals: round(7.2) = 7, round(9.6) = 10, so 7 / 3 / 2.
  const auto small = split_indices(12, {0.6, 0.2, 0.2}, 0);
  CHECK(small[0].size() == 7);
  CHECK(small[1].size() == 3);
  CHECK(small[2].size() == 2);

  CHECK_THROWS_WITH(split_indices(10, {0.6, 0.3}, 0), Contains("sum to 0.9"));
  CHECK_THROWS_WITH(split_indices(10, {1.2, -0.2}, 0), Contains("-0.2 is negative"));
}

TEST_CASE("add_to_folder writes a plain folder of hard links that loads with the same labels", "[experiment]") {
  TemporaryDirectory directory;
  TinyDataset tiny;
  tiny.normal = 8;
  tiny.defective = 3;
  const std::string data = tiny_dataset(directory, tiny);
  const data::Dataset all = data::load_mvtec(data);
  const std::string folder = directory.file("flat");
  add_to_folder(all, folder);

  // train/good/000 and test/good/000 keep apart: names come from the path below the surface.
  const data::Dataset flat = data::load_folder(folder);
  CHECK(flat.size() == all.size());
  CHECK(labelled(flat, 0) == labelled(all, 0));
  CHECK(labelled(flat, 1) == labelled(all, 1));
  CHECK(labelled(flat, 1) == 3);
  CHECK(flat.channels() == all.channels());
  CHECK(fs::exists(fs::path(folder) / "images" / "train_good_000.png"));
  CHECK(fs::exists(fs::path(folder) / "images" / "train_good_000_bl.png"));
  for (int64_t i = 0; i < all.size(); ++i) {
    const data::SampleEntry& entry = all.entry(i);
    const std::string name = fs::relative(entry.image_path, fs::path(data) / "plain_weave").replace_extension().string();
    std::string flat_name = name;
    std::replace(flat_name.begin(), flat_name.end(), '/', '_');
    INFO(entry.image_path);
    CHECK(file_identity(fs::path(folder) / "images" / (flat_name + ".png")) == file_identity(entry.image_path));
    if (!entry.mask_paths.empty())
      CHECK(file_identity(fs::path(folder) / "masks" / (flat_name + ".png")) == file_identity(entry.mask_paths[0]));
  }
  CHECK_THROWS_WITH(add_to_folder(all, {0}, folder), Contains("is already there"));
}

TEST_CASE("An inspector run with a validation set keeps the weights of its best validation AUROC", "[experiment]") {
  TemporaryDirectory directory;
  const std::string data = tiny_dataset(directory);
  const std::string defects = defects_folder(data, directory);
  // Validation: the surface's test split (normals and real defects).
  const std::string validation = (fs::path(data) / "plain_weave").string();

  InspectRunOptions options = tiny_run("classifier", data, defects, directory.file("straight"), 6);
  options.validation = validation;
  options.config.validate_every = 2;
  options.config.lr = 3e-3;
  const InspectRunResult result = train_inspector(options);
  REQUIRE(result.best_validation_auroc);

  const LossTable log = read_loss_log(options.out + "/validation.csv");
  CHECK(log.columns == std::vector<std::string>{"auroc"});
  REQUIRE(log.rows.size() == 3);
  double best = -1;
  int64_t best_step = 0;
  for (const auto& row : log.rows) {
    if (row[1] >= best) best = row[1], best_step = int64_t(row[0]);  // the latest of equal scores
  }
  CHECK(log.rows[0][0] == 2);
  CHECK(log.rows[2][0] == 6);
  CHECK(*result.best_validation_auroc == best);
  CHECK(result.best_step == best_step);

  // best.safetensors holds the weights that scored it: evaluated again, they give the same AUROC.
  const LoadedInspector loaded = load_inspector_checkpoint(result.best_checkpoint);
  CHECK(loaded.state.steps_done == best_step);
  CHECK(loaded.state.validation_auroc == best);
  CHECK(loaded.optimizer_state.empty());
  InspectEvalOptions evaluation;
  evaluation.checkpoint = result.best_checkpoint;
  evaluation.data = validation;
  evaluation.workers = 1;
  evaluation.progress = false;
  CHECK(evaluate_inspector(evaluation).image_auroc == best);

  // Stopped after the first validation and resumed: the same log, the same best weights.
  InspectRunOptions first = options;
  first.out = directory.file("split");
  first.stop_at = 3;
  train_inspector(first);
  InspectRunOptions rest = options;
  rest.out = first.out;
  rest.resume = true;
  const InspectRunResult resumed = train_inspector(rest);
  CHECK(resumed.best_validation_auroc == result.best_validation_auroc);
  CHECK(resumed.best_step == result.best_step);
  CHECK(read_loss_log(rest.out + "/validation.csv").rows == log.rows);
  check_same_checkpoints(result.best_checkpoint, resumed.best_checkpoint);

  InspectRunOptions unlabelled = options;
  unlabelled.out = directory.file("unlabelled");
  unlabelled.validation = defects;  // defective images only
  CHECK_THROWS_WITH(train_inspector(unlabelled), Contains("need both normal and defective"));
}

TEST_CASE("The pseudo-supervised experiment end to end at toy size", "[experiment][apps]") {
  TemporaryDirectory directory;
  TinyDataset tiny;
  tiny.surfaces = {data::SurfaceType::plain_weave, data::SurfaceType::printed, data::SurfaceType::wood,
                   data::SurfaceType::twill};
  tiny.normal = 10;
  tiny.defective = 3;
  tiny.size = 64;
  PseudoSupervisedOptions options;
  options.data = tiny_dataset(directory, tiny);
  options.out = directory.file("experiment");
  options.preset = "cpu";
  options.seggan_steps = 2;
  options.steps = 3;
  options.size = 32;
  options.width = 8;
  options.batch = 4;
  options.progress = false;
  const PseudoSupervisedResult result = run_pseudo_supervised(options);

  REQUIRE(result.surfaces.size() == 1);  // seggan trains on the other three
  const SurfaceOutcome& twill = result.surfaces[0];
  CHECK(twill.surface == "twill");
  const fs::path folder = fs::path(options.out) / "twill";

  // Splits: normals 60/20/20 (10 -> 6/2/2), synthetic one per train normal and two per val normal,
  // every real defect in test; test shares no file with train or val.
  const SplitCounts& counts = twill.counts;
  CHECK(counts.train_normal == 6);
  CHECK(counts.val_normal == 2);
  CHECK(counts.test_normal == 2);
  CHECK(counts.train_synthetic == 6);
  CHECK(counts.val_synthetic == 4);
  CHECK(counts.real_defects == 3);
  const data::Dataset test = data::load_folder((folder / "test").string());
  CHECK(labelled(test, 0) == 2);
  CHECK(labelled(test, 1) == 3);
  const data::Dataset val = data::load_folder((folder / "val").string());
  CHECK(labelled(val, 0) == 2);
  CHECK(labelled(val, 1) == 4);
  const auto test_files = identities_in(folder / "test" / "images");
  for (const char* part : {"train", "val"}) {
    for (const auto& identity : identities_in(folder / part / "images")) CHECK(test_files.count(identity) == 0);
  }

  // Each reported number is the test AUROC of the checkpoint it names, the one its validation chose.
  for (const SelectedInspector* model : {&twill.classifier, &twill.autoencoder}) {
    INFO(model->checkpoint);
    CHECK(fs::path(model->checkpoint).filename() == "best.safetensors");
    const LoadedInspector loaded = load_inspector_checkpoint(model->checkpoint);
    CHECK(loaded.state.steps_done == model->step);
    CHECK(loaded.state.validation_auroc == model->validation_auroc);
    InspectEvalOptions evaluation;
    evaluation.checkpoint = model->checkpoint;
    evaluation.data = (folder / "test").string();
    evaluation.progress = false;
    CHECK(evaluate_inspector(evaluation).image_auroc == model->test.image_auroc);
  }
  CHECK(twill.classifier.test.kind == "classifier");
  CHECK(twill.autoencoder.test.kind == "autoencoder");

  std::ifstream table_file(options.out + "/table.md");
  const std::string table((std::istreambuf_iterator<char>(table_file)), std::istreambuf_iterator<char>());
  CHECK(table == result.table);
  char row[128];
  std::snprintf(row, sizeof row, "| twill | %.3f | %.3f |", twill.autoencoder.test.image_auroc,
                twill.classifier.test.image_auroc);
  CHECK_THAT(table, Contains(row));
  CHECK_THAT(table, Contains("| avg |"));
  std::ifstream json_file(options.out + "/results.json");
  const nlohmann::json json = nlohmann::json::parse(json_file);
  CHECK(json["surfaces"][0]["pseudo_supervised"]["test"]["image_auroc"] == twill.classifier.test.image_auroc);
  CHECK(json["surfaces"][0]["counts"]["val_synthetic"] == 4);

  std::ifstream report_file(options.out + "/report.html");
  const std::string report((std::istreambuf_iterator<char>(report_file)), std::istreambuf_iterator<char>());
  CHECK_THAT(report, Contains("<td>twill</td>"));
  char cell[64];
  std::snprintf(cell, sizeof cell, "<td class=\"num\">%.3f</td>", twill.classifier.test.image_auroc);
  CHECK_THAT(report, Contains(cell));
  CHECK_THAT(report, Contains("data:image/png;base64,"));            // the synthesis grid
  CHECK_THAT(report, Contains("<svg"));                              // the validation curves
  CHECK(fs::exists(folder / "synthetic_examples.png"));

  // A second run reuses every finished stage and reports the same table.
  const auto synthetic_time = fs::last_write_time(folder / "synthetic" / "train" / "synth.json");
  CHECK(run_pseudo_supervised(options).table == result.table);
  CHECK(fs::last_write_time(folder / "synthetic" / "train" / "synth.json") == synthetic_time);

  PseudoSupervisedOptions seen = options;
  seen.unseen = {"wood"};
  CHECK_THROWS_WITH(run_pseudo_supervised(seen), Contains("wood is one of seggan's training surfaces"));
  PseudoSupervisedOptions missing = options;
  missing.unseen = {"marble"};
  CHECK_THROWS_WITH(run_pseudo_supervised(missing), Contains("marble: no such surface"));
}

TEST_CASE("Ctrl-C during the experiment saves the running stage and ends with exit code 130", "[experiment][apps]") {
  TemporaryDirectory directory;
  TinyDataset tiny;
  tiny.surfaces = {data::SurfaceType::plain_weave, data::SurfaceType::printed, data::SurfaceType::wood,
                   data::SurfaceType::twill};  // the cpu preset's seggan trains on the first three
  tiny.normal = 4;
  tiny.defective = 1;
  tiny.size = 64;  // the cpu preset's seggan crops 64 x 64
  PseudoSupervisedOptions options;
  options.data = tiny_dataset(directory, tiny);
  options.out = directory.file("experiment");
  options.unseen = {"twill"};
  options.preset = "cpu";
  options.seggan_steps = 100000;
  options.size = 32;
  options.progress = false;
  const std::string losses = options.out + "/seggan/losses.csv";
  // Sends SIGINT once seggan has logged a step (its interrupt guard is installed by then), unless
  // the experiment has ended first.
  std::atomic<bool> ended = false;
  std::thread interrupter([&] {
    for (int wait = 0; wait < 6000 && !ended; ++wait) {
      try {  // the file may exist before its header is written
        if (fs::exists(losses) && !read_loss_log(losses).rows.empty()) {
          std::raise(SIGINT);
          return;
        }
      } catch (const Error&) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  int code = 0;
  std::string error;
  try {
    run_pseudo_supervised(options);
  } catch (const ExitStatus& status) {
    code = status.code;
  } catch (const std::exception& other) {
    error = other.what();
  }
  ended = true;
  interrupter.join();
  INFO(error);
  CHECK(code == 130);
  CHECK(fs::exists(options.out + "/seggan/checkpoint.safetensors"));
}
