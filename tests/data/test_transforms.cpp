// Transforms: hand-checked resizes, flips and rotations; the defect-centred crop always holds
// defect pixels; seeded transforms repeat for a seed.
#include <catch2/catch.hpp>

#include <cmath>

#include "data/transforms.h"
#include "runtime/error.h"

using namespace dforge;
using namespace dforge::data;
using Catch::Matchers::Contains;

namespace {

Sample sample_from(const std::vector<double>& values, const Shape& shape) {
  Sample sample;
  sample.image = Tensor::from_values(values, shape);
  sample.path = "memory";
  return sample;
}

// An image whose value at (c, r, k) is c * 100 + r * 10 + k, so every pixel names its position.
Sample numbered(int channels, int height, int width) {
  std::vector<double> values;
  for (int c = 0; c < channels; ++c)
    for (int r = 0; r < height; ++r)
      for (int k = 0; k < width; ++k) values.push_back(c * 100 + r * 10 + k);
  return sample_from(values, {channels, height, width});
}

double max_difference(const std::vector<double>& got, const std::vector<double>& expected) {
  REQUIRE(got.size() == expected.size());
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got[i] - expected[i]));
  return worst;
}

}  // namespace

TEST_CASE("area resize averages the covered input area, fractions included", "[data][transforms]") {
  const Sample sample = sample_from({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, {1, 4, 4});
  // 4 -> 2: plain 2x2 block means.
  CHECK(max_difference(resize(sample, 2, 2, ResizeMethod::area).image.to_vector(), {3.5, 5.5, 11.5, 13.5}) < 1e-6);
  // 4 -> 3 along a row [1 2 3 4]: each output covers 4/3 pixels: (1 + 2/3 * 1/3... ) by hand:
  // out0 = (1 * 1 + 2 * 1/3) / (4/3) = 1.25, out1 = (2 * 2/3 + 3 * 2/3) / (4/3) = 2.5, out2 = 3.75.
  const Sample row = sample_from({1, 2, 3, 4}, {1, 1, 4});
  CHECK(max_difference(resize(row, 1, 3, ResizeMethod::area).image.to_vector(), {1.25, 2.5, 3.75}) < 1e-6);
}

TEST_CASE("bilinear resize samples at half-pixel centres (align_corners false)", "[data][transforms]") {
  const Sample row = sample_from({0, 10}, {1, 1, 2});
  // 2 -> 4: source positions (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped 0, 0.25, 0.75, 1.
  CHECK(max_difference(resize(row, 1, 4, ResizeMethod::bilinear).image.to_vector(), {0, 2.5, 7.5, 10}) < 1e-6);
}

TEST_CASE("resized masks stay binary; area shrinking keeps a one-pixel defect", "[data][transforms]") {
  Sample sample = numbered(1, 8, 8);
  std::vector<double> mask(64, 0.0);
  mask[3 * 8 + 5] = 1.0;  // one defect pixel
  sample.mask = Tensor::from_values(mask, {1, 8, 8});
  const Sample area = resize(sample, 2, 2, ResizeMethod::area);
  CHECK(area.mask.to_vector() == std::vector<double>{0, 1, 0, 0});
  const Sample bilinear = resize(sample, 4, 4, ResizeMethod::bilinear);
  for (double value : bilinear.mask.to_vector()) CHECK((value == 0.0 || value == 1.0));
}

TEST_CASE("flips and rotations move pixels where numpy's flip and rot90 do", "[data][transforms]") {
  const Sample sample = numbered(1, 2, 3);  // [[0 1 2] [10 11 12]]
  CHECK(flip_horizontal(sample).image.to_vector() == std::vector<double>{2, 1, 0, 12, 11, 10});
  CHECK(flip_vertical(sample).image.to_vector() == std::vector<double>{10, 11, 12, 0, 1, 2});
  const Sample quarter = rotate90(sample, 1);  // counter-clockwise: [[2 12] [1 11] [0 10]]
  CHECK(quarter.image.shape() == Shape{1, 3, 2});
  CHECK(quarter.image.to_vector() == std::vector<double>{2, 12, 1, 11, 0, 10});
  CHECK(rotate90(sample, 2).image.to_vector() == std::vector<double>{12, 11, 10, 2, 1, 0});
  CHECK(rotate90(sample, 3).image.to_vector() == std::vector<double>{10, 0, 11, 1, 12, 2});
  CHECK(rotate90(rotate90(sample, 3), 1).image.to_vector() == sample.image.to_vector());
  CHECK(rotate90(sample, -1).image.to_vector() == rotate90(sample, 3).image.to_vector());
}

TEST_CASE("the defect-centred crop always contains defect pixels", "[data][transforms]") {
  constexpr int kSize = 96;
  // Three masks: a small blob, a thin diagonal line (its bounding box is mostly empty) and two
  // far-apart dots (the box's centre holds no defect).
  std::vector<std::vector<double>> masks(3, std::vector<double>(kSize * kSize, 0.0));
  for (int r = 40; r < 44; ++r)
    for (int k = 60; k < 63; ++k) masks[0][size_t(r * kSize + k)] = 1.0;
  for (int i = 0; i < kSize; ++i) masks[1][size_t(i * kSize + i)] = 1.0;
  masks[2][size_t(2 * kSize + 3)] = 1.0;
  masks[2][size_t(90 * kSize + 93)] = 1.0;
  for (size_t m = 0; m < masks.size(); ++m) {
    Sample sample = numbered(3, kSize, kSize);
    sample.mask = Tensor::from_values(masks[m], {1, kSize, kSize});
    for (uint64_t draw = 0; draw < 200; ++draw) {
      RandomStream stream(11, draw);
      const Sample cropped = defect_centred_crop(sample, 16, 16, stream);
      REQUIRE(cropped.image.shape() == Shape{3, 16, 16});
      double defect = 0;
      for (double value : cropped.mask.to_vector()) defect += value;
      INFO("mask " << m << ", draw " << draw);
      REQUIRE(defect > 0);
    }
  }
}

TEST_CASE("the defect-centred crop is uniform for normal images and checks its size", "[data][transforms]") {
  const Sample sample = numbered(1, 32, 32);
  RandomStream stream(5, 0);
  CHECK(defect_centred_crop(sample, 8, 8, stream).image.shape() == Shape{1, 8, 8});
  CHECK_THROWS_WITH(defect_centred_crop(sample, 64, 64, stream), Contains("smaller than the 64x64 crop"));
  CHECK_THROWS_WITH(crop(sample, 30, 0, 4, 4), Contains("leaves image"));
}

TEST_CASE("seeded transforms repeat for a seed and vary between seeds", "[data][transforms]") {
  Sample sample = numbered(4, 24, 24);
  TransformOptions options;
  options.crop = CropMode::random;
  options.crop_height = options.crop_width = 12;
  options.flip_horizontal = options.flip_vertical = options.rotate90 = true;
  const auto a = apply_transforms(sample, options, RandomStream(1, 1)).image.to_vector();
  const auto b = apply_transforms(sample, options, RandomStream(1, 1)).image.to_vector();
  CHECK(a == b);
  bool any_different = false;
  for (uint64_t stream = 2; stream < 10 && !any_different; ++stream)
    any_different = apply_transforms(sample, options, RandomStream(1, stream)).image.to_vector() != a;
  CHECK(any_different);
}

TEST_CASE("colour jitter is off by default; the [-1, 1] scaling maps 0 and 1 to -1 and 1", "[data][transforms]") {
  const Sample sample = sample_from({0.0, 0.25, 0.5, 1.0}, {1, 2, 2});
  TransformOptions options;
  CHECK(apply_transforms(sample, options, RandomStream(0, 0)).image.to_vector() == sample.image.to_vector());
  options.signed_range = true;
  CHECK(max_difference(apply_transforms(sample, options, RandomStream(0, 0)).image.to_vector(), {-1, -0.5, 0, 1}) < 1e-7);
  ColourJitter jitter;
  jitter.brightness = 0.5;
  RandomStream stream(0, 1);
  for (double value : colour_jitter(sample, jitter, stream).image.to_vector()) CHECK((value >= 0.0 && value <= 1.0));
}
