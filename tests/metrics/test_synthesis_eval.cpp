// evaluate_synthesis on temporary folders: pairing, backlight channels, NaN-skipping means, errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "metrics/synthesis_eval.h"
#include "runtime/error.h"
#include "runtime/io/image.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::metrics;

namespace {

// An image whose values are multiples of 1/255 (exact through an 8-bit PNG).
Tensor pattern(int64_t channels, int64_t size, int offset) {
  Tensor image = Tensor::empty({channels, size, size});
  for (int64_t i = 0; i < image.numel(); ++i) image.data<float>()[i] = float((i * 7 + offset) % 256) / 255.f;
  return image;
}

Tensor square_mask(int64_t size) {
  Tensor mask = Tensor::zeros({1, size, size});
  for (int64_t y = 4; y < 12; ++y)
    for (int64_t x = 4; x < 12; ++x) mask.data<float>()[y * size + x] = 1;
  return mask;
}

struct Folders {
  testing::TemporaryDirectory root;
  std::string input = root.file("input"), output = root.file("output"), masks = root.file("masks");
  Folders() {
    for (const std::string& folder : {input, output, masks}) std::filesystem::create_directories(folder);
  }
};

}  // namespace

TEST_CASE("evaluate_synthesis pairs files by name and averages over images", "[metrics][synthesis]") {
  Folders f;
  io::write_image(f.input + "/a.png", pattern(3, 24, 0));
  io::write_image(f.output + "/a.png", pattern(3, 24, 3));
  io::write_image(f.masks + "/a.png", square_mask(24));
  io::write_image(f.input + "/b.png", pattern(3, 24, 10));
  io::write_image(f.output + "/b.png", pattern(3, 24, 10));
  io::write_image(f.masks + "/b_mask.png", Tensor::zeros({1, 24, 24}));  // <stem>_mask, empty
  const SynthesisEvaluation evaluation = evaluate_synthesis(f.input, f.output, f.masks);
  REQUIRE(evaluation.images.size() == 2);
  CHECK(evaluation.images[0].name == "a.png");
  const MaskedImageMetrics expected_a = masked_image_metrics(pattern(3, 24, 0), pattern(3, 24, 3), square_mask(24));
  CHECK(evaluation.images[0].metrics.inside.l1 == Approx(expected_a.inside.l1).epsilon(1e-6));
  CHECK(evaluation.images[0].metrics.outside.ssim == Approx(expected_a.outside.ssim).epsilon(1e-6));
  // b: identical images, empty mask: inside is NaN and left out of the inside means.
  CHECK(std::isnan(evaluation.images[1].metrics.inside.l1));
  CHECK(evaluation.counts.inside.l1 == 1);
  CHECK(evaluation.counts.all.l1 == 2);
  CHECK(evaluation.mean.inside.l1 == Approx(expected_a.inside.l1).epsilon(1e-6));
  CHECK(evaluation.mean.all.l1 == Approx(expected_a.all.l1 / 2).epsilon(1e-6));
  CHECK(evaluation.mean.all.ssim == Approx((expected_a.all.ssim + 1.0) / 2).epsilon(1e-6));
}

TEST_CASE("evaluate_synthesis reads backlight companions as a 4th channel", "[metrics][synthesis]") {
  Folders f;
  io::write_image(f.input + "/a.png", pattern(3, 24, 0));
  io::write_image(f.input + "/a_bl.png", Tensor::full({1, 24, 24}, 100.0 / 255.0));
  io::write_image(f.output + "/a.png", pattern(3, 24, 0));
  io::write_image(f.output + "/a_bl.png", Tensor::full({1, 24, 24}, 104.0 / 255.0));
  io::write_image(f.masks + "/a.png", square_mask(24));
  const SynthesisEvaluation evaluation = evaluate_synthesis(f.input, f.output, f.masks);
  REQUIRE(evaluation.images.size() == 1);
  // Only the backlight channel differs, by 4/255 everywhere: L1 = (4/255) / 4 channels.
  CHECK(evaluation.images[0].metrics.all.l1 == Approx(4.0 / 255.0 / 4.0).epsilon(1e-5));
}

TEST_CASE("evaluate_synthesis names the files when something does not match", "[metrics][synthesis]") {
  Folders f;
  CHECK_THROWS_WITH(evaluate_synthesis(f.input, f.output, f.masks), Catch::Contains("no images in"));
  io::write_image(f.output + "/a.png", pattern(3, 24, 0));
  CHECK_THROWS_WITH(evaluate_synthesis(f.input, f.output, f.masks), Catch::Contains("has no input image a.*"));
  io::write_image(f.input + "/a.png", pattern(3, 24, 0));
  CHECK_THROWS_WITH(evaluate_synthesis(f.input, f.output, f.masks), Catch::Contains("has no mask a.*"));
  io::write_image(f.masks + "/a.png", square_mask(12));
  CHECK_THROWS_WITH(evaluate_synthesis(f.input, f.output, f.masks), Catch::Contains("masks/a.png"));
  io::write_image(f.masks + "/a.png", square_mask(24));
  io::write_image(f.input + "/a.png", pattern(3, 12, 0));
  io::write_image(f.masks + "/a.png", square_mask(12));
  CHECK_THROWS_WITH(evaluate_synthesis(f.input, f.output, f.masks),
                    Catch::Contains("output/a.png") && Catch::Contains("input/a.png"));
  io::write_image(f.input + "/a.png", pattern(1, 24, 0));
  io::write_image(f.masks + "/a.png", square_mask(24));
  CHECK_THROWS_WITH(evaluate_synthesis(f.input, f.output, f.masks),
                    Catch::Contains("[3, 24, 24]") && Catch::Contains("[1, 24, 24]"));
  CHECK_THROWS_WITH(evaluate_synthesis(f.root.file("nowhere"), f.output, f.masks), Catch::Contains("is not a folder"));
}
