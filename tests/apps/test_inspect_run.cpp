// `dforge inspect train` and `dforge inspect eval` end to end on a tiny generated dataset (32 x 32,
// ResNets of width 8): the run folder, refusal to overwrite, a resumed run equal bit for bit to an
// uninterrupted one, the autoencoder's falling loss and calibrated threshold, the evaluation's
// metrics and JSON, and the errors for a missing --defects and an unknown kind.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "apps/inspect/eval_inspector.h"
#include "apps/inspect/inspect_data.h"
#include "apps/inspect/inspector_checkpoint.h"
#include "apps/training/run_folder.h"
#include "apps/inspect/train_inspector.h"
#include "apps/training/loss_log.h"
#include "runtime/error.h"
#include "runtime/io/safetensors.h"
#include "tests/apps/inspect_fixtures.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::apps;
using namespace dforge::testing;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;


TEST_CASE("An inspector run writes its folder, refuses to overwrite, and resumes bit for bit", "[inspect][apps]") {
  testing::TemporaryDirectory directory;
  const std::string data = tiny_dataset(directory);
  const std::string defects = defects_folder(data, directory);

  const std::string straight = directory.file("straight");
  InspectRunOptions full_options = tiny_run("classifier", data, defects, straight, 4);
  full_options.config.source_head = true;
  InspectRunResult full = train_inspector(full_options);
  CHECK(full.steps_done == 4);
  for (const char* file : {"checkpoint.safetensors", "config.json", "losses.csv"}) {
    INFO(file);
    CHECK(fs::exists(fs::path(straight) / file));
  }
  const LossTable losses = read_loss_log(straight + "/losses.csv");
  CHECK(losses.columns == std::vector<std::string>{"class", "source", "total", "seconds"});
  CHECK(losses.rows.size() == 4);
  CHECK_THROWS_WITH(train_inspector(full_options), Contains("--resume"));

  const std::string split = directory.file("split");
  InspectRunOptions first = full_options;
  first.out = split;
  first.stop_at = 2;
  CHECK(train_inspector(first).interrupted);
  InspectRunOptions resume = full_options;
  resume.out = split;
  resume.resume = true;
  CHECK(train_inspector(resume).steps_done == 4);
  CHECK(read_loss_log(split + "/losses.csv").rows.size() == 4);

  check_same_checkpoints(run_checkpoint_path(straight), run_checkpoint_path(split));
  const io::TensorFile a = io::load_safetensors(run_checkpoint_path(straight));
  // The class head and the source head are saved under torchvision's and our names.
  CHECK(a.contains("model.backbone.fc.weight"));
  CHECK(a.contains("model.source_head.weight"));
  CHECK(a.contains("model.backbone.layer1.0.bn1.num_batches_tracked"));

  // Evaluation through the command line, with JSON.
  const std::string json_path = directory.file("eval.json");
  inspect_cli({"inspect", "eval", "--kind", "classifier", "--ckpt", run_checkpoint_path(straight), "--data", data,
              "--json", json_path, "--quiet"});
  const nlohmann::json document = nlohmann::json::parse(testing::read_bytes(json_path));
  CHECK(document.at("kind") == "classifier");
  CHECK(document.at("images") == 5);  // test/good (1 of 6 normals, at least 1) + 4 defective
  CHECK(document.at("defective") == 4);
  CHECK(document.at("threshold").get<double>() == 0.5);
  const double auroc = document.at("image_auroc").get<double>();
  CHECK((auroc >= 0.0 && auroc <= 1.0));
  for (const char* key : {"f1", "best_f1", "dr", "far"}) CHECK(document.contains(key));
  CHECK(!document.contains("pixel_auroc"));
  CHECK_THROWS_WITH(inspect_cli({"inspect", "eval", "--kind", "autoencoder", "--ckpt",
                                run_checkpoint_path(straight), "--data", data, "--quiet"}),
                    Contains("holds kind classifier"));
}

TEST_CASE("The autoencoder trains on normals, calibrates its threshold and reports pixel AUROC", "[inspect][apps]") {
  testing::TemporaryDirectory directory;
  const std::string data = tiny_dataset(directory);
  const std::string run = directory.file("ae");
  InspectRunResult result = train_inspector(tiny_run("autoencoder", data, "", run, 6));
  const LossTable losses = read_loss_log(run + "/losses.csv");
  REQUIRE(losses.rows.size() == 6);
  CHECK(losses.columns == std::vector<std::string>{"reconstruction", "seconds"});
  INFO("reconstruction loss " << losses.rows.front()[1] << " -> " << losses.rows.back()[1]);
  CHECK(losses.rows.back()[1] < losses.rows.front()[1]);
  CHECK(result.threshold > 0.0);
  CHECK(result.threshold != 0.5);

  InspectEvalOptions options;
  options.checkpoint = run_checkpoint_path(run);
  options.data = data;
  options.workers = 1;
  options.progress = false;
  InspectEvaluation evaluation = evaluate_inspector(options);
  CHECK(evaluation.kind == "autoencoder");
  CHECK(evaluation.threshold == result.threshold);
  REQUIRE(evaluation.pixel_auroc.has_value());
  CHECK((*evaluation.pixel_auroc >= 0.0 && *evaluation.pixel_auroc <= 1.0));
  CHECK_THAT(format_evaluation(evaluation), Contains("pixel AUROC"));
  options.threshold = 1e9;  // nothing is flagged
  evaluation = evaluate_inspector(options);
  CHECK(evaluation.rates.detection_rate == 0.0);
  CHECK(evaluation.rates.false_alarm_rate == 0.0);
}

TEST_CASE("dforge inspect refuses an unknown kind, and a classifier or segmenter without defects", "[inspect][apps]") {
  testing::TemporaryDirectory directory;
  CHECK_THROWS_WITH(inspect_cli({"inspect", "train", "--kind", "svm", "--data", directory.file("none"), "--out",
                                directory.file("run")}),
                    Contains("classifier|autoencoder|segmenter"));
  const std::string data = tiny_dataset(directory);
  CHECK_THROWS_WITH(train_inspector(tiny_run("classifier", data, "", directory.file("run"), 2)), Contains("--defects"));
  CHECK_THROWS_WITH(train_inspector(tiny_run("segmenter", data, "", directory.file("run"), 2)), Contains("--defects"));
  CHECK(!fs::exists(directory.file("run")));
}

TEST_CASE("Training images: normals, synthetic defects and real defects, labelled and tagged", "[inspect][apps]") {
  testing::TemporaryDirectory directory;
  const std::string data = tiny_dataset(directory);
  const std::string defects = defects_folder(data, directory);
  const auto normal = open_training_images(data, "");
  const auto mixed = open_training_images(data, defects, defects);
  REQUIRE(mixed->size() == normal->size() + 8);
  int64_t synthetic = 0, real = 0;
  for (int64_t i = 0; i < mixed->size(); ++i) {
    const data::SampleEntry& entry = mixed->entry(i);
    if (i < normal->size()) CHECK(entry.label == 0);
    else CHECK(entry.label == 1);
    synthetic += entry.defect == "synthetic";
    real += entry.defect == "defect";
  }
  CHECK(synthetic == 4);
  CHECK(real == 4);
}
