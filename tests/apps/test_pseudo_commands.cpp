// `dforge train pseudo`, `dforge synth pseudo` and `dforge inspect eval` of the pseudo checkpoint
// end to end, through the commands' CLI11 apps, on a tiny generated dataset.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "apps/commands/eval.h"
#include "apps/commands/inspect.h"
#include "apps/commands/synth.h"
#include "apps/commands/train.h"
#include "data/folder.h"
#include "data/procedural/datagen.h"
#include "runtime/error.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
namespace fs = std::filesystem;

namespace {

void run_dforge(std::vector<std::string> arguments) {
  CLI::App app{"test"};
  apps::add_train_command(app);
  apps::add_synth_command(app);
  apps::add_eval_command(app);
  apps::add_inspect_command(app);
  arguments.insert(arguments.begin(), "dforge");
  std::vector<const char*> argv;
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  app.parse(int(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("dforge train, synth pseudo and inspect eval run end to end", "[pseudo][apps]") {
  testing::TemporaryDirectory directory;
  data::DatagenOptions options;
  options.out = directory.file("data");
  options.surfaces = {data::SurfaceType::wood};
  options.normal = 5;
  options.defective = 2;
  options.size = 32;
  data::generate_dataset(options);

  const std::string run = directory.file("run");
  run_dforge({"train", "pseudo", "--data", options.out, "--out", run, "--crop", "16", "--batch", "2", "--steps", "3",
              "--ngf", "4", "--unet-downs", "3", "--workers", "0", "--quiet"});
  CHECK(fs::exists(run + "/checkpoint.safetensors"));

  const std::string json_path = directory.file("eval.json");
  run_dforge({"inspect", "eval", "--kind", "segmenter", "--ckpt", run + "/checkpoint.safetensors", "--data",
              options.out, "--json", json_path, "--workers", "0", "--quiet"});
  const nlohmann::json document = nlohmann::json::parse(testing::read_bytes(json_path));
  for (const char* key : {"dr", "far", "miou", "iou_defect", "pixel_auroc", "pixel_best_f1", "image_auroc"}) {
    INFO(key);
    CHECK(document.contains(key));
  }
  CHECK(document.at("defective") == 2);

  const std::string synth = directory.file("synth");
  run_dforge({"synth", "pseudo", "--images", options.out + "/wood/train/good", "--out", synth, "--count", "2",
              "--shapes", "blob,line", "--contact-sheet", directory.file("sheet.png"), "--quiet"});
  CHECK(data::load_folder(synth).size() == 2 * data::load_folder(options.out + "/wood/train/good").size());
  CHECK(fs::exists(directory.file("sheet.png")));

  CHECK_THROWS_WITH(run_dforge({"synth", "pseudo", "--images", options.out + "/wood/train/good", "--out", synth,
                                "--shapes", "circle", "--quiet"}),
                    Catch::Contains("circle"));
  CHECK_THROWS_WITH(run_dforge({"train", "pseudo", "--data", options.out, "--out", run, "--crop", "16", "--quiet"}),
                    Catch::Contains("--resume"));
}
