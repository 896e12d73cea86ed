// `dforge eval synth` and `dforge eval detect` end to end, through the command's CLI11 app.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "apps/commands/eval.h"
#include "metrics/image_metrics.h"
#include "metrics/lpips.h"
#include "runtime/io/safetensors.h"
#include "runtime/random.h"
#include "runtime/error.h"
#include "runtime/io/image.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;

namespace {

void run_dforge(std::vector<std::string> arguments) {
  CLI::App app{"test"};
  apps::add_eval_command(app);
  arguments.insert(arguments.begin(), "dforge");
  std::vector<const char*> argv;
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  app.parse(int(argv.size()), argv.data());
}

Tensor gradient_image(int64_t size, double shift) {
  Tensor image = Tensor::empty({3, size, size});
  for (int64_t i = 0; i < image.numel(); ++i) image.data<float>()[i] = float(((i % 200) + shift) / 255.0);
  return image;
}

}  // namespace

TEST_CASE("dforge eval synth prints a table and writes JSON atomically", "[metrics][apps]") {
  testing::TemporaryDirectory root;
  for (const char* folder : {"input", "output", "masks"}) std::filesystem::create_directories(root.file(folder));
  Tensor mask = Tensor::zeros({1, 24, 24});
  for (int64_t i = 8 * 24; i < 14 * 24; ++i) mask.data<float>()[i] = 1;
  io::write_image(root.file("input/a.png"), gradient_image(24, 0));
  io::write_image(root.file("output/a.png"), gradient_image(24, 6));
  io::write_image(root.file("masks/a_mask.png"), mask);
  const std::string json_path = root.file("eval.json");
  run_dforge({"eval", "synth", "--input", root.file("input"), "--output", root.file("output"), "--masks",
              root.file("masks"), "--json", json_path});
  const nlohmann::json document = nlohmann::json::parse(testing::read_bytes(json_path));
  const metrics::MaskedImageMetrics expected =
      metrics::masked_image_metrics(gradient_image(24, 0), gradient_image(24, 6), mask);
  CHECK(document.at("images") == 1);
  for (const char* key : {"l1_in", "l1_out", "l1_all", "l2_in", "l2_out", "l2_all", "ssim_in", "ssim_out", "ssim_all"})
    CHECK(document.contains(key));
  CHECK(document.at("l1_in").get<double>() == Approx(expected.inside.l1).epsilon(1e-6));
  CHECK(document.at("l2_out").get<double>() == Approx(expected.outside.l2).epsilon(1e-6));
  CHECK(document.at("ssim_all").get<double>() == Approx(expected.all.ssim).epsilon(1e-6));
  REQUIRE(document.at("per_image").size() == 1);
  CHECK(document.at("per_image")[0].at("name") == "a.png");
  CHECK(document.at("per_image")[0].at("ssim_in").get<double>() == Approx(expected.inside.ssim).epsilon(1e-6));
  CHECK(root.entries() == std::vector<std::string>{"eval.json", "input", "masks", "output"});  // no temporary left
}

TEST_CASE("dforge eval detect reads a scores file and writes AUROC, F1, DR, FAR", "[metrics][apps]") {
  testing::TemporaryDirectory root;
  testing::write_bytes(root.file("scores.txt"),
                       "# name score label\n"
                       "a.png 0.9 1\nb.png 0.8 1\nc.png 0.8 0\n\nd.png 0.5 1  # tied with e\ne.png 0.5 0\nf.png 0.1 0\n");
  const std::string json_path = root.file("detect.json");
  run_dforge({"eval", "detect", "--scores", root.file("scores.txt"), "--threshold", "0.6", "--json", json_path});
  const nlohmann::json document = nlohmann::json::parse(testing::read_bytes(json_path));
  CHECK(document.at("images") == 6);
  CHECK(document.at("auroc").get<double>() == Approx(7.0 / 9.0));
  CHECK(document.at("best_f1").get<double>() == Approx(0.75));
  CHECK(document.at("best_f1_threshold").get<double>() == 0.5);
  // >= 0.6: a, b, c detected: DR 2/3, FAR 1/3, F1 = 4 / (4 + 1 + 1).
  CHECK(document.at("dr").get<double>() == Approx(2.0 / 3.0));
  CHECK(document.at("far").get<double>() == Approx(1.0 / 3.0));
  CHECK(document.at("f1").get<double>() == Approx(4.0 / 6.0));

  testing::write_bytes(root.file("bad.txt"), "a.png 0.9 1\nb.png high 0\n");
  CHECK_THROWS_WITH(run_dforge({"eval", "detect", "--scores", root.file("bad.txt")}),
                    Catch::Contains("bad.txt:2") && Catch::Contains("<name> <score> <label>"));
}

TEST_CASE("dforge eval synth --lpips-weights adds LPIPS inside / outside / overall", "[metrics][apps][lpips]") {
  testing::TemporaryDirectory root;
  for (const char* folder : {"input", "output", "masks"}) std::filesystem::create_directories(root.file(folder));
  Tensor mask = Tensor::zeros({1, 32, 32});
  for (int64_t i = 8 * 32; i < 20 * 32; ++i) mask.data<float>()[i] = 1;
  io::write_image(root.file("input/a.png"), gradient_image(32, 0));
  io::write_image(root.file("output/a.png"), gradient_image(32, 9));
  io::write_image(root.file("masks/a.png"), mask);
  const std::vector<std::string> base = {"eval", "synth", "--input", root.file("input"), "--output",
                                         root.file("output"), "--masks", root.file("masks")};
  // Without a weight file: one error naming the export tool, nothing written.
  auto missing = base;
  missing.insert(missing.end(), {"--lpips-weights", root.file("none.safetensors"), "--json", root.file("eval.json")});
  CHECK_THROWS_WITH(run_dforge(missing), Catch::Contains("tools/export_metric_weights.py"));
  CHECK(!std::filesystem::exists(root.file("eval.json")));
  // Random weights saved as a weight file (tests only): the JSON carries the LPIPS of lpips_image.
  Generator generator(3);
  metrics::Lpips lpips(generator);
  io::save_safetensors(root.file("lpips.safetensors"), lpips.state_dict());
  auto with_weights = base;
  with_weights.insert(with_weights.end(),
                      {"--lpips-weights", root.file("lpips.safetensors"), "--json", root.file("eval.json")});
  run_dforge(with_weights);
  const nlohmann::json document = nlohmann::json::parse(testing::read_bytes(root.file("eval.json")));
  const metrics::LpipsRegions expected = metrics::lpips_image(
      lpips, io::read_image(root.file("input/a.png")), io::read_image(root.file("output/a.png")), mask);
  CHECK(document.at("lpips_all").get<double>() == Approx(expected.all).epsilon(1e-5));
  CHECK(document.at("lpips_in").get<double>() == Approx(expected.inside).epsilon(1e-5));
  CHECK(document.at("lpips_out").get<double>() == Approx(expected.outside).epsilon(1e-5));
  CHECK(document.at("per_image")[0].at("lpips_all").get<double>() == Approx(expected.all).epsilon(1e-5));
}

TEST_CASE("dforge eval fid without weights fails naming the export tool", "[metrics][apps][fid]") {
  testing::TemporaryDirectory root;
  for (const char* folder : {"real", "fake"}) {
    std::filesystem::create_directories(root.file(folder));
    for (int i = 0; i < 2; ++i) io::write_image(root.file(std::string(folder) + "/" + std::to_string(i) + ".png"), gradient_image(16, i));
  }
  CHECK_THROWS_WITH(run_dforge({"eval", "fid", "--real", root.file("real"), "--fake", root.file("fake")}),
                    Catch::Contains("tools/export_metric_weights.py"));
  CHECK_THROWS_WITH(run_dforge({"eval", "fid", "--real", root.file("real"), "--fake", root.file("fake"), "--weights",
                                root.file("missing.safetensors")}),
                    Catch::Contains("does not exist"));
}
