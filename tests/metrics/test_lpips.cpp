// LPIPS with random weights: identities (0 for identical images, symmetry), the 4-channel average,
// the masked regions, the weight-file names, and the error without weights.
#include <catch2/catch.hpp>

#include <cmath>

#include "metrics/fid.h"
#include "metrics/lpips.h"
#include "runtime/error.h"
#include "runtime/random.h"

using namespace dforge;
using namespace dforge::metrics;

namespace {

Tensor random_image(int64_t channels, int64_t size, uint64_t seed) {
  Tensor image = Tensor::empty({channels, size, size});
  Generator generator(seed);
  runtime::fill_uniform(image, 0.0, 1.0, generator);
  return image;
}

Tensor half_mask(int64_t size) {
  std::vector<double> values(size_t(size * size), 0.0);
  for (int64_t i = 0; i < size * size / 2; ++i) values[size_t(i)] = 1.0;
  return Tensor::from_values(values, {1, size, size});
}

}  // namespace

TEST_CASE("LPIPS of identical images is 0, of different ones positive and symmetric", "[metrics][lpips]") {
  Generator generator(1);
  Lpips lpips(generator);
  const Tensor a = random_image(3, 32, 2), b = random_image(3, 32, 3);
  CHECK(lpips_image(lpips, a, a).all == Approx(0.0).margin(1e-12));
  const double ab = lpips_image(lpips, a, b).all, ba = lpips_image(lpips, b, a).all;
  CHECK(ab > 0);
  CHECK(ab == Approx(ba).epsilon(1e-6));
  CHECK(std::isnan(lpips_image(lpips, a, b).inside));
  CHECK_THROWS_AS(lpips_image(lpips, random_image(3, 8, 1), random_image(3, 8, 2)), Error);  // < 16 pixels
}

TEST_CASE("LPIPS of a 4-channel image averages RGB and the repeated backlight", "[metrics][lpips]") {
  Generator generator(1);
  Lpips lpips(generator);
  const Tensor a = random_image(4, 32, 4), b = random_image(4, 32, 5);
  auto channels = [](const Tensor& image, int64_t first, int64_t count) {
    const std::vector<double> v = image.to_vector();
    const int64_t plane = image.size(1) * image.size(2);
    return Tensor::from_values(std::vector<double>(v.begin() + first * plane, v.begin() + (first + count) * plane),
                               {count, image.size(1), image.size(2)});
  };
  const double rgb = lpips_image(lpips, channels(a, 0, 3), channels(b, 0, 3)).all;
  const double backlight = lpips_image(lpips, channels(a, 3, 1), channels(b, 3, 1)).all;
  CHECK(lpips_image(lpips, a, b).all == Approx(0.5 * (rgb + backlight)).epsilon(1e-6));
}

TEST_CASE("Masked LPIPS: a full mask's inside is the whole image, its outside empty", "[metrics][lpips]") {
  Generator generator(1);
  Lpips lpips(generator);
  const Tensor a = random_image(3, 32, 6), b = random_image(3, 32, 7);
  const LpipsRegions full = lpips_image(lpips, a, b, Tensor::full({1, 32, 32}, 1.0));
  CHECK(full.inside == Approx(full.all).epsilon(1e-5));
  CHECK(std::isnan(full.outside));
  const LpipsRegions half = lpips_image(lpips, a, b, half_mask(32));
  CHECK(half.inside > 0);
  CHECK(half.outside > 0);
  CHECK(half.all == Approx(full.all).epsilon(1e-6));
}

TEST_CASE("LPIPS weight names are torchvision's and lpips'", "[metrics][lpips]") {
  Generator generator(1);
  Lpips lpips(generator);
  const NamedTensors state = lpips.state_dict();
  REQUIRE(state.size() == 26 + 5);
  CHECK(state.front().first == "features.0.weight");
  CHECK(state[25].first == "features.28.bias");
  CHECK(state[26].first == "lin0.model.1.weight");
  CHECK(state.back().first == "lin4.model.1.weight");
  CHECK(state.back().second.shape() == Shape({1, 512, 1, 1}));
}

TEST_CASE("LPIPS and FID without weights fail naming the export tool", "[metrics][lpips][fid]") {
  for (const char* path : {"", "/nonexistent/weights.safetensors"}) {
    try {
      load_lpips(path);
      FAIL("load_lpips accepted '" << path << "'");
    } catch (const Error& error) {
      CHECK(std::string(error.what()).find("tools/export_metric_weights.py") != std::string::npos);
      CHECK(std::string(error.what()).find("--lpips-weights") != std::string::npos);
    }
    try {
      load_fid_inception(path);
      FAIL("load_fid_inception accepted '" << path << "'");
    } catch (const Error& error) {
      CHECK(std::string(error.what()).find("tools/export_metric_weights.py") != std::string::npos);
    }
  }
}
