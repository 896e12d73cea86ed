// A seggan run end to end on a tiny generated dataset: the run folder's files, refusal to
// overwrite, a resumed run equal bit for bit to an uninterrupted one, and synthesis from it.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <thread>

#include "apps/training/loss_log.h"
#include "apps/seggan/synthesize.h"
#include "apps/seggan/train_seggan.h"
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

SegganRunOptions tiny_run(const std::string& data, const std::string& out, int64_t steps) {
  SegganRunOptions run;
  run.data = data;
  run.out = out;
  run.config.ngf = 4;
  run.config.ndf = 4;
  run.config.crop = 16;
  run.config.steps = steps;
  run.config.batch = 2;
  run.config.pool_size = 2;
  run.config.sample_every = 2;
  run.config.checkpoint_every = 2;
  run.workers = 1;
  run.progress = false;
  return run;
}

}  // namespace

TEST_CASE("A seggan run writes its folder, refuses to overwrite, and resumes bit for bit", "[seggan][apps]") {
  testing::TemporaryDirectory directory;
  const std::string data = testing::tiny_dataset(directory, {{data::SurfaceType::plain_weave, data::SurfaceType::wood}, 5, 2, 3});

  const std::string straight = directory.file("straight");
  TrainingResult full = train_seggan(tiny_run(data, straight, 6));
  CHECK(full.steps_done == 6);
  CHECK(full.steps_run == 6);
  for (const char* file : {"checkpoint.safetensors", "G_y.safetensors", "config.json", "losses.csv",
                           "samples/step_000002.png", "samples/step_000006.png"}) {
    INFO(file);
    CHECK(fs::exists(fs::path(straight) / file));
  }
  CHECK(read_loss_log(straight + "/losses.csv").rows.size() == 6);
  CHECK_THROWS_WITH(train_seggan(tiny_run(data, straight, 6)), Contains("--resume"));

  // Stopped after 4 steps (as by Ctrl-C), then resumed: the same checkpoint, bit for bit.
  const std::string split = directory.file("split");
  SegganRunOptions first = tiny_run(data, split, 6);
  first.stop_at = 4;
  TrainingResult stopped = train_seggan(first);
  CHECK(stopped.interrupted);
  CHECK(stopped.steps_done == 4);
  SegganRunOptions resume = tiny_run(data, split, 6);
  resume.resume = true;
  TrainingResult resumed = train_seggan(resume);
  CHECK(resumed.steps_done == 6);
  CHECK(resumed.steps_run == 2);
  CHECK(read_loss_log(split + "/losses.csv").rows.size() == 6);
  testing::check_same_checkpoints(straight + "/checkpoint.safetensors", split + "/checkpoint.safetensors");

  SECTION("synthesis paints every image, with masks from a folder or at random") {
    SegganSynthOptions synth;
    synth.weights = straight + "/checkpoint.safetensors";
    synth.images = data + "/wood/train/good";
    synth.random_masks = 2;
    synth.out = directory.file("synth");
    synth.progress = false;
    const int64_t inputs = data::load_folder(synth.images).size();
    CHECK(synthesize_seggan(synth) == 2 * inputs);
    data::Dataset painted = data::load_folder(synth.out);
    CHECK(painted.size() == 2 * inputs);
    data::Sample sample = painted.load(0);
    CHECK(sample.image.shape() == Shape{4, 32, 32});
    CHECK(sample.label == 1);

    // Masks from the folder just written; G_y.safetensors works as well as the checkpoint.
    synth.weights = straight + "/G_y.safetensors";
    synth.random_masks = 0;
    synth.images = synth.out + "/images";
    synth.masks = synth.out + "/masks";
    synth.out = directory.file("synth2");
    CHECK(synthesize_seggan(synth) == 2 * inputs);

    synth.masks = data + "/wood/train/good";  // no masks there
    synth.out = directory.file("synth3");
    CHECK_THROWS_WITH(synthesize_seggan(synth), Contains("no mask"));
  }
}

TEST_CASE("Ctrl-C finishes the step, saves the checkpoint and returns interrupted", "[seggan][apps]") {
  testing::TemporaryDirectory directory;
  const std::string data = testing::tiny_dataset(directory, {{data::SurfaceType::plain_weave, data::SurfaceType::wood}, 5, 2, 3});
  const std::string run = directory.file("run");
  // Sends SIGINT once two steps are logged (the guard is installed by then).
  std::thread interrupter([&] {
    for (int wait = 0; wait < 6000; ++wait) {
      try {  // the file may exist before its header is written
        if (fs::exists(run + "/losses.csv") && read_loss_log(run + "/losses.csv").rows.size() >= 2) break;
      } catch (const Error&) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::raise(SIGINT);
  });
  TrainingResult result = train_seggan(tiny_run(data, run, 100000));
  interrupter.join();
  CHECK(result.interrupted);
  CHECK(result.steps_done >= 2);
  CHECK(result.steps_done < 100000);
  io::TensorFile checkpoint = io::load_safetensors(run + "/checkpoint.safetensors");
  CHECK(checkpoint.metadata.at("step") == std::to_string(result.steps_done));
  CHECK(read_loss_log(run + "/losses.csv").rows.size() == size_t(result.steps_done));
}
