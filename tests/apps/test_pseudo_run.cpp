// A pseudo run end to end on a tiny generated dataset: the loss falls, a resumed run equals an
// uninterrupted one bit for bit, and synthesis and evaluation work from the results.
#include <catch2/catch.hpp>

#include <filesystem>

#include "apps/inspect/eval_inspector.h"
#include "apps/pseudo/synthesize_pseudo.h"
#include "apps/pseudo/train_pseudo.h"
#include "apps/training/loss_log.h"
#include "data/folder.h"
#include "runtime/io/safetensors.h"
#include "tests/support/same_checkpoints.h"
#include "tests/support/temporary_directory.h"
#include "tests/support/tiny_dataset.h"

using namespace dforge;
using namespace dforge::apps;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

PseudoRunOptions tiny_run(const std::string& data, const std::string& out, int64_t steps) {
  PseudoRunOptions run;
  run.data = data;
  run.out = out;
  run.config.ngf = 8;
  run.config.unet_downs = 3;
  run.config.crop = 32;
  run.config.batch = 4;
  run.config.steps = steps;
  run.config.lr = 2e-3;
  run.config.min_size = 0.2;
  run.config.max_size = 0.5;
  run.config.sample_every = 10;
  run.config.checkpoint_every = 5;
  run.workers = 1;
  run.progress = false;
  return run;
}

double mean_of_rows(const LossTable& table, size_t from, size_t to, size_t column) {
  double sum = 0;
  for (size_t r = from; r < to; ++r) sum += table.rows[r][column];
  return sum / double(to - from);
}

}  // namespace

TEST_CASE("A pseudo run lowers its loss, resumes bit for bit, synthesises and evaluates", "[pseudo][apps]") {
  testing::TemporaryDirectory directory;
  const std::string data = testing::tiny_dataset(directory, {.defective = 2});

  const std::string straight = directory.file("straight");
  TrainingResult full = train_pseudo(tiny_run(data, straight, 30));
  CHECK(full.steps_done == 30);
  for (const char* file : {"checkpoint.safetensors", "config.json", "losses.csv", "samples/step_000010.png"}) {
    INFO(file);
    CHECK(fs::exists(fs::path(straight) / file));
  }
  const LossTable losses = read_loss_log(straight + "/losses.csv");
  REQUIRE(losses.rows.size() == 30);
  // Column 3 (after step) is the total loss: the last five steps below the first five.
  const double early = mean_of_rows(losses, 0, 5, 3), late = mean_of_rows(losses, 25, 30, 3);
  INFO("loss first 5 steps " << early << ", last 5 " << late);
  CHECK(late < early);
  CHECK_THROWS_WITH(train_pseudo(tiny_run(data, straight, 30)), Contains("--resume"));

  SECTION("stopped and resumed, the checkpoint is the same bit for bit") {
    const std::string split = directory.file("split");
    PseudoRunOptions first = tiny_run(data, split, 30);
    first.stop_at = 17;
    CHECK(train_pseudo(first).interrupted);
    PseudoRunOptions resume = tiny_run(data, split, 30);
    resume.resume = true;
    CHECK(train_pseudo(resume).steps_run == 13);
    testing::check_same_checkpoints(straight + "/checkpoint.safetensors", split + "/checkpoint.safetensors");
  }

  SECTION("inspect eval evaluates the checkpoint as a segmenter and gives every number") {
    InspectEvalOptions options;
    options.checkpoint = straight + "/checkpoint.safetensors";
    options.data = data;
    options.kind = "segmenter";
    options.workers = 0;
    options.progress = false;
    InspectEvaluation evaluation = evaluate_inspector(options);
    CHECK(evaluation.kind == "segmenter");
    CHECK(evaluation.images > 0);
    CHECK(evaluation.rates.defective == 2);
    CHECK(evaluation.rates.defect_free > 0);
    REQUIRE(evaluation.pixel_auroc.has_value());
    CHECK((*evaluation.pixel_auroc >= 0 && *evaluation.pixel_auroc <= 1));
    REQUIRE(evaluation.iou.has_value());
    CHECK((evaluation.iou->mean >= 0 && evaluation.iou->mean <= 1));
    CHECK(to_json(evaluation).contains("miou"));
    options.checkpoint = data + "/datagen.json";
    CHECK_THROWS(evaluate_inspector(options));
  }

  SECTION("synthesis writes an image and an exact mask per result, the same for the same seed") {
    PseudoSynthOptions synth;
    synth.images = data + "/plain_weave/train/good";
    synth.out = directory.file("synth");
    synth.count = 2;
    synth.progress = false;
    const int64_t inputs = data::load_folder(synth.images).size();
    CHECK(synthesize_pseudo(synth) == 2 * inputs);
    data::Dataset painted = data::load_folder(synth.out);
    CHECK(painted.size() == 2 * inputs);
    data::Sample sample = painted.load(0);
    CHECK(sample.image.shape() == Shape{4, 32, 32});
    CHECK(sample.label == 1);
    synth.out = directory.file("synth_again");
    synthesize_pseudo(synth);
    CHECK(data::load_folder(synth.out).load(0).image.to_vector() == sample.image.to_vector());
  }
}
