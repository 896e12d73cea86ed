// The segmenter inspector kind end to end on the tiny dataset: it learns the masks of the defect
// folder (its loss falls on a fixed seed), resumes bit for bit, and `dforge inspect eval` reports
// its pixel metrics (pixel AUROC, best pixel F1, mIoU) next to the image ones.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "apps/inspect/inspector_checkpoint.h"
#include "apps/training/run_folder.h"
#include "apps/inspect/train_inspector.h"
#include "apps/training/loss_log.h"
#include "runtime/io/safetensors.h"
#include "tests/apps/inspect_fixtures.h"

using namespace dforge;
using namespace dforge::apps;
using namespace dforge::testing;
namespace fs = std::filesystem;

namespace {

InspectRunOptions tiny_segmenter(const std::string& data, const std::string& defects, const std::string& out,
                                 int64_t steps) {
  InspectRunOptions run = tiny_run("segmenter", data, defects, out, steps);
  run.config.ngf = 8;
  run.config.unet_downs = 3;
  run.config.lr = 2e-3;
  return run;
}

double mean_total(const LossTable& table, size_t from, size_t to) {
  double sum = 0;
  for (size_t r = from; r < to; ++r) sum += table.rows[r][3];  // step, bce, dice, total
  return sum / double(to - from);
}

}  // namespace

TEST_CASE("The segmenter kind learns masks, resumes bit for bit and reports pixel metrics", "[inspect][apps]") {
  TemporaryDirectory directory;
  const std::string data = tiny_dataset(directory);
  const std::string defects = defects_folder(data, directory);

  const std::string straight = directory.file("straight");
  InspectRunResult full = train_inspector(tiny_segmenter(data, defects, straight, 16));
  CHECK(full.steps_done == 16);
  CHECK(full.threshold == 0.5);
  const LossTable losses = read_loss_log(straight + "/losses.csv");
  CHECK(losses.columns == std::vector<std::string>{"bce", "dice", "total", "seconds"});
  REQUIRE(losses.rows.size() == 16);
  const double early = mean_total(losses, 0, 4), late = mean_total(losses, 12, 16);
  INFO("total loss, first 4 steps " << early << ", last 4 " << late);
  CHECK(late < early);

  const std::string split = directory.file("split");
  InspectRunOptions first = tiny_segmenter(data, defects, split, 16);
  first.stop_at = 7;
  CHECK(train_inspector(first).interrupted);
  InspectRunOptions resume = tiny_segmenter(data, defects, split, 16);
  resume.resume = true;
  CHECK(train_inspector(resume).steps_run == 9);
  check_same_checkpoints(run_checkpoint_path(straight), run_checkpoint_path(split));
  // pix2pix's names, as in a pseudo checkpoint
  CHECK(io::load_safetensors(run_checkpoint_path(straight)).contains("model.segmenter.model.model.0.weight"));

  const std::string json_path = directory.file("eval.json");
  inspect_cli({"inspect", "eval", "--kind", "segmenter", "--ckpt", run_checkpoint_path(straight), "--data", data,
               "--json", json_path, "--workers", "0", "--quiet"});
  const nlohmann::json document = nlohmann::json::parse(read_bytes(json_path));
  CHECK(document.at("kind") == "segmenter");
  CHECK(document.at("defective") == 4);
  CHECK(document.at("threshold").get<double>() == 0.5);
  for (const char* key : {"image_auroc", "dr", "far", "pixel_auroc", "pixel_best_f1", "miou", "iou_defect"}) {
    INFO(key);
    CHECK(document.contains(key));
  }
  const double miou = document.at("miou").get<double>();
  CHECK((miou >= 0.0 && miou <= 1.0));
}
