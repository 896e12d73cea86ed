// `dforge eval fid` end to end: the real dforge binary (DFORGE_CLI, built before the tests) on two
// small image folders, with an InceptionV3 of seeded random weights saved as the weight file. The
// numbers it prints and writes are checked against the library (metrics/fid.h) on the same files,
// and bad input must end with exit code 2 and one line on stderr naming the path.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/files.h"
#include "layers/init.h"
#include "metrics/fid.h"
#include "runtime/io/image.h"
#include "runtime/io/safetensors.h"
#include "runtime/random.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using Catch::Matchers::Contains;

namespace {

struct Run {
  int exit_code = -1;
  std::string out, err;
};

// Runs the dforge binary with `arguments` (none contains a quote), stdout and stderr to files.
Run run_binary(const testing::TemporaryDirectory& root, const std::vector<std::string>& arguments) {
  std::string command = std::string("'") + DFORGE_CLI + "'";
  for (const std::string& argument : arguments) command += " '" + argument + "'";
  command += " > '" + root.file("stdout.txt") + "' 2> '" + root.file("stderr.txt") + "'";
  const int status = std::system(command.c_str());
  Run run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = testing::read_bytes(root.file("stdout.txt"));
  run.err = testing::read_bytes(root.file("stderr.txt"));
  return run;
}

// Seeded noise on a per-folder pattern: `tone` shifts the colours, so the two folders differ.
Tensor noise_image(int64_t channels, int64_t height, int64_t width, uint64_t seed, double tone) {
  Tensor image = Tensor::empty({channels, height, width});
  Generator generator(seed);
  runtime::fill_uniform(image, 0.0, 1.0, generator);
  float* p = image.data<float>();
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t i = 0; i < height * width; ++i) {
      const double pattern = 0.5 + 0.5 * std::sin(double(i % width) * (0.2 + tone) + double(c) * tone);
      p[c * height * width + i] = float(0.6 * pattern + 0.4 * p[c * height * width + i]);
    }
  return image;
}

// The FID network with seeded He-normal convolutions (the class's own std 0.1 init makes the
// activations grow by ~3x per layer over its ~45 convolutions).
std::unique_ptr<models::InceptionV3Fid> random_inception() {
  Generator generator(21);
  auto network = std::make_unique<models::InceptionV3Fid>(generator);
  for (const auto& [name, parameter] : network->named_parameters())
    if (name.size() > 12 && name.compare(name.size() - 12, 12, ".conv.weight") == 0)
      init::kaiming_normal(parameter, 0.0, generator);
  network->eval();
  return network;
}

}  // namespace

TEST_CASE("dforge eval fid end to end: self ~0, two folders = the library's FID, JSON, bad input", "[metrics][apps][fid]") {
  testing::TemporaryDirectory root;
  // Saved under the names load_fid_inception expects: the network's own state_dict, which must be
  // pytorch-fid's (torchvision's Inception3) names, as tools/export_metric_weights.py writes them.
  const std::string weights = root.file("inception.safetensors");
  const auto network = random_inception();
  const NamedTensors state = network->state_dict();
  io::save_safetensors(weights, state);
  auto has = [&](const std::string& name) {
    return std::any_of(state.begin(), state.end(), [&](const auto& entry) { return entry.first == name; });
  };
  CHECK(has("Conv2d_1a_3x3.conv.weight"));
  CHECK(has("Mixed_7c.branch_pool.bn.running_var"));

  // 4 images per folder (each costs an InceptionV3 forward at 299x299, three times over), 1 of them
  // gray in "fake" (scored as gray repeated to RGB), sizes mixed.
  const std::string real = root.file("real"), fake = root.file("fake");
  for (const std::string& folder : {real, fake}) std::filesystem::create_directories(folder);
  for (int i = 0; i < 4; ++i) {
    io::write_image(real + "/" + std::to_string(i) + ".png", noise_image(3, 40, 48, 100 + i, 0.0));
    io::write_image(fake + "/" + std::to_string(i) + ".png", noise_image(i == 0 ? 1 : 3, 48, 40, 200 + i, 0.7));
  }

  // The library on the same files and weights (the command loads them from the file; equal
  // results below also show the file round trip): features once per folder.
  auto statistics = [&](const std::string& folder) {
    std::vector<Tensor> images;
    for (const std::string& path : data::list_images(folder)) images.push_back(io::read_image(path));
    const Tensor features = metrics::inception_features(*network, images);
    const std::vector<double> values = features.to_vector();
    REQUIRE(std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }));
    return metrics::feature_statistics(features);
  };
  const metrics::GaussianStatistics real_statistics = statistics(real), fake_statistics = statistics(fake);
  auto trace = [](const Tensor& covariance) {
    const std::vector<double> c = covariance.to_vector();
    const int64_t d = covariance.size(0);
    double sum = 0;
    for (int64_t i = 0; i < d; ++i) sum += c[i * d + i];
    return sum;
  };
  // FID's scale: its value for these spreads without a mean shift if the covariances' supports
  // were orthogonal.
  const double scale = trace(real_statistics.covariance) + trace(fake_statistics.covariance);
  REQUIRE(scale > 0);
  const double expected = metrics::frechet_distance(real_statistics, fake_statistics);
  INFO("library FID " << expected << ", scale " << scale);
  // 4 images in 2048 dims: singular covariances (rank 3); rounding-level eigenvalues
  // count as 0, so the result is finite and real.
  REQUIRE(std::isfinite(expected));
  REQUIRE(expected > 1e-3 * scale);

  {  // a folder against itself: ~0
    const Run run = run_binary(root, {"eval", "fid", "--real", real, "--fake", real, "--weights", weights, "--json",
                                      root.file("self.json")});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const nlohmann::json document = nlohmann::json::parse(testing::read_bytes(root.file("self.json")));
    INFO("self FID " << document.at("fid").get<double>());
    CHECK(std::abs(document.at("fid").get<double>()) < 1e-10 * scale);  // ~1e-7 before rounding-level clamping
  }

  {  // two folders: the library's number, printed and in the JSON
    const Run run = run_binary(root, {"eval", "fid", "--real", real, "--fake", fake, "--weights", weights,
                                      "--batch-size", "4", "--json", root.file("fid.json")});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.err.empty());
    CHECK_THAT(run.out, Contains("4 real, 4 generated images") && Contains("FID"));
    const nlohmann::json document = nlohmann::json::parse(testing::read_bytes(root.file("fid.json")));
    CHECK(document.at("real_images") == 4);
    CHECK(document.at("fake_images") == 4);
    CHECK(!document.contains("kid"));
    // Same files and weights, so the same features (batches of 4 here, 8 above) and statistics.
    CHECK(document.at("fid").get<double>() == Approx(expected).epsilon(1e-9));
  }

  {  // bad input: exit code 2, one line on stderr naming the path
    const std::string missing_folder = root.file("no_such_folder"), missing_weights = root.file("none.safetensors");
    for (const auto& [arguments, path] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"eval", "fid", "--real", missing_folder, "--fake", fake, "--weights", weights}, missing_folder},
             {{"eval", "fid", "--real", real, "--fake", fake, "--weights", missing_weights}, missing_weights}}) {
      const Run run = run_binary(root, arguments);
      INFO(run.out << run.err);
      CHECK(run.exit_code == 2);
      CHECK_THAT(run.err, Contains(path));
      CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
      CHECK(run.err.back() == '\n');
    }
  }
}
