// A defectgan run end to end on a tiny generated dataset: the run folder's files, the defect kinds
// as classes, a resumed run equal bit for bit to an uninterrupted one, and synthesis from it
// (whole-image control, masks from a folder, random masks, unknown kinds).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "apps/defectgan/synthesize.h"
#include "apps/defectgan/train_defectgan.h"
#include "apps/training/loss_log.h"
#include "apps/training/run_folder.h"
#include "data/folder.h"
#include "models/defectgan/config.h"
#include "runtime/io/safetensors.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"
#include "runtime/reduce.h"
#include "tests/support/same_checkpoints.h"
#include "tests/support/temporary_directory.h"
#include "tests/support/tiny_dataset.h"

using namespace dforge;
using namespace dforge::apps;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

DefectganRunOptions tiny_run(const std::string& data, const std::string& out, int64_t steps) {
  DefectganRunOptions run;
  run.data = data;
  run.out = out;
  run.config.ngf = 4;
  run.config.ndf = 4;
  run.config.spade_hidden = 8;
  run.config.residual_blocks = 1;
  run.config.d_layers = 2;
  run.config.image_size = 16;
  run.config.steps = steps;
  run.config.decay_from = 0.5;  // the lr falls during the run, across the resume
  run.config.batch = 2;
  run.config.n_critic = 2;
  run.config.sample_every = 3;
  run.config.checkpoint_every = 2;
  run.workers = 1;
  run.progress = false;
  return run;
}

}  // namespace

TEST_CASE("A defectgan run learns the dataset's defect kinds, resumes bit for bit, and synthesises", "[defectgan][apps]") {
  testing::TemporaryDirectory directory;
  const std::string data =
      testing::tiny_dataset(directory, {{data::SurfaceType::plain_weave, data::SurfaceType::wood}, 5, 3, 3});

  const std::string straight = directory.file("straight");
  TrainingResult full = train_defectgan(tiny_run(data, straight, 6));
  CHECK(full.steps_done == 6);
  for (const char* file : {"checkpoint.safetensors", "G.safetensors", "config.json", "losses.csv",
                           "samples/step_000003.png", "samples/step_000006.png"}) {
    INFO(file);
    CHECK(fs::exists(fs::path(straight) / file));
  }
  const models::DefectganConfig config =
      models::defectgan_config_from_json(checkpoint_config(io::load_safetensors(straight + "/checkpoint.safetensors"), "defectgan"));
  // The classes are the defect folders of the tiny tree, sorted; images have RGB + backlight.
  std::vector<std::string> kinds;
  for (const char* surface : {"plain_weave", "wood"})
    for (const auto& entry : fs::directory_iterator(fs::path(data) / surface / "test"))
      if (entry.path().filename() != "good") kinds.push_back(entry.path().filename().string());
  std::sort(kinds.begin(), kinds.end());
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  CHECK(config.class_names == kinds);
  CHECK(config.classes == int(kinds.size()));
  CHECK(config.image_channels == 4);
  const LossTable log = read_loss_log(straight + "/losses.csv");
  REQUIRE(log.rows.size() == 6);
  CHECK_THROWS_WITH(train_defectgan(tiny_run(data, straight, 6)), Contains("--resume"));

  // Stopped after 3 steps (between G updates), then resumed: the same checkpoint, bit for bit.
  const std::string split = directory.file("split");
  DefectganRunOptions first = tiny_run(data, split, 6);
  first.stop_at = 3;
  CHECK(train_defectgan(first).interrupted);
  DefectganRunOptions resume = tiny_run(data, split, 6);
  resume.resume = true;
  TrainingResult resumed = train_defectgan(resume);
  CHECK(resumed.steps_done == 6);
  CHECK(resumed.steps_run == 3);
  testing::check_same_checkpoints(straight + "/checkpoint.safetensors", split + "/checkpoint.safetensors");

  SECTION("synthesis: every kind on every image, masks where G painted") {
    DefectganSynthOptions synth;
    synth.weights = straight + "/checkpoint.safetensors";
    synth.images = data + "/wood/train/good";
    synth.out = directory.file("synth");
    synth.progress = false;
    const int64_t inputs = data::load_folder(synth.images).size();
    CHECK(synthesize_defectgan(synth) == inputs * int64_t(kinds.size()));
    data::Dataset painted = data::load_folder(synth.out);
    CHECK(painted.size() == inputs * int64_t(kinds.size()));
    CHECK(painted.load(0).image.shape() == Shape{4, 32, 32});

    // Inside random masks; G.safetensors works as well as the checkpoint.
    synth.weights = straight + "/G.safetensors";
    synth.defects = {kinds.front()};
    synth.random_masks = 2;
    synth.out = directory.file("random");
    CHECK(synthesize_defectgan(synth) == 2 * inputs);
    CHECK(fs::exists(fs::path(synth.out) / "images" / concat("000-", kinds.front(), "-1.png")));

    // Inside the masks just written.
    synth.random_masks = 0;
    synth.images = directory.file("random") + "/images";
    synth.masks = directory.file("random") + "/masks";
    synth.out = directory.file("masked");
    CHECK(synthesize_defectgan(synth) == 2 * inputs);

    synth.defects = {"no_such_kind"};
    synth.out = directory.file("unknown");
    CHECK_THROWS_WITH(synthesize_defectgan(synth), Contains("no defect kind 'no_such_kind'") && Contains(kinds.front()));
    synth.defects = {};
    synth.masks = data + "/wood/train/good";  // no masks there
    CHECK_THROWS_WITH(synthesize_defectgan(synth), Contains("no mask"));
  }
}

TEST_CASE("defectgan synthesis without layer-wise composition: the control region as the mask, same bits per seed",
          "[defectgan][apps]") {
  // Without layer-wise composition G has no map m, so the written mask is the control region.
  testing::TemporaryDirectory directory;
  const std::string data = testing::tiny_dataset(directory, {{data::SurfaceType::wood}, 4, 2, 3});
  DefectganRunOptions run = tiny_run(data, directory.file("run"), 2);
  run.config.layerwise_composition = false;
  run.config.spatial_constraints = false;
  train_defectgan(run);
  DefectganSynthOptions synth;
  synth.weights = directory.file("run") + "/G.safetensors";
  synth.images = data + "/wood/train/good";
  synth.random_masks = 1;
  synth.seed = 3;
  synth.out = directory.file("synth");
  synth.progress = false;
  synthesize_defectgan(synth);
  DefectganSynthOptions again = synth;
  again.out = directory.file("again");
  synthesize_defectgan(again);
  data::Dataset first = data::load_folder(synth.out), second = data::load_folder(again.out);
  REQUIRE(first.size() == second.size());
  for (int64_t i = 0; i < first.size(); ++i) {
    const data::Sample a = first.load(i), b = second.load(i);
    CHECK(runtime::sum(runtime::unary(runtime::UnaryOp::abs, runtime::sub(a.image, b.image))).item() == 0.0);  // same seed, same bits
    CHECK(runtime::sum(a.mask).item() > 0.0);
  }
}
