// Writing samples back (data/sample_writer.h) and drawing random masks (data/random_mask.h).
#include <catch2/catch.hpp>

#include <filesystem>

#include "data/folder.h"
#include "data/random_mask.h"
#include "data/sample_writer.h"
#include "runtime/io/image.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using dforge::testing::TemporaryDirectory;

TEST_CASE("A 4-channel sample written with its backlight companion reads back as 4 channels", "[data]") {
  TemporaryDirectory directory;
  std::filesystem::create_directories(directory.file("images"));
  std::filesystem::create_directories(directory.file("masks"));
  Tensor image = Tensor::zeros({4, 8, 8});
  float* pixels = image.data<float>();
  for (int64_t i = 0; i < image.numel(); ++i) pixels[i] = float((i * 37) % 256) / 255.0f;
  Tensor mask = Tensor::zeros({1, 8, 8});
  mask.data<float>()[9] = 0.9f;
  data::write_sample_image(directory.file("images/a.png"), image);
  data::write_mask(directory.file("masks/a.png"), mask);
  CHECK(std::filesystem::exists(directory.file("images/a_bl.png")));

  data::Dataset set = data::load_folder(directory.file(""));
  REQUIRE(set.size() == 1);
  data::Sample sample = set.load(0);
  REQUIRE(sample.image.shape() == Shape{4, 8, 8});
  for (int64_t i = 0; i < image.numel(); ++i)
    CHECK(sample.image.data<float>()[i] == Approx(pixels[i]).margin(0.5 / 255));
  CHECK(sample.label == 1);
  CHECK(sample.mask.data<float>()[9] == 1.0f);
  CHECK(sample.mask.data<float>()[10] == 0.0f);
}

TEST_CASE("Random defect masks are never empty, never full, and repeat for a seed", "[data]") {
  int blobs_or_scratches = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    data::RandomStream a(seed, 1), b(seed, 1);
    Tensor mask = data::random_defect_mask(48, 64, a);
    CHECK(mask.shape() == Shape{1, 48, 64});
    CHECK(mask.to_vector() == data::random_defect_mask(48, 64, b).to_vector());
    double area = 0;
    for (double value : mask.to_vector()) {
      CHECK((value == 0.0 || value == 1.0));
      area += value;
    }
    CHECK(area >= 1);
    CHECK(area < 0.5 * 48 * 64);
    blobs_or_scratches += area > 0;
  }
  CHECK(blobs_or_scratches == 20);
}
