// L1 / L2 / SSIM inside and outside a mask, checked by hand on tiny images.
#include <catch2/catch.hpp>

#include <cmath>

#include "metrics/image_metrics.h"
#include "runtime/error.h"

using namespace dforge;
using namespace dforge::metrics;

namespace {

Tensor constant(int64_t channels, int64_t size, double value) { return Tensor::full({channels, size, size}, value); }

}  // namespace

TEST_CASE("L1 and L2 inside, outside and over a 2x2 image", "[metrics][image]") {
  const Tensor a = Tensor::zeros({1, 2, 2});
  const Tensor b = Tensor::from_values({0.5, 0.25, 0.75, 1.0}, {1, 2, 2});
  const Tensor mask = Tensor::from_values({1, 0, 0, 0}, {1, 2, 2});
  const MaskedImageMetrics m = masked_image_metrics(a, b, mask);
  CHECK(m.inside.l1 == Approx(0.5));
  CHECK(m.inside.l2 == Approx(0.25));
  CHECK(m.outside.l1 == Approx(2.0 / 3.0));
  CHECK(m.outside.l2 == Approx((0.0625 + 0.5625 + 1.0) / 3.0));
  CHECK(m.all.l1 == Approx(0.625));
  CHECK(m.all.l2 == Approx(0.46875));
  // 2x2 is smaller than the 11x11 window: no SSIM pixel survives the crop.
  CHECK(std::isnan(m.all.ssim));
  CHECK(std::isnan(m.inside.ssim));
}

TEST_CASE("L1 and L2 average over all channels of the region's pixels", "[metrics][image]") {
  const Tensor a = Tensor::zeros({2, 1, 2});
  const Tensor b = Tensor::from_values({1, 0, 0.5, 0}, {2, 1, 2});  // channel 0: 1 0, channel 1: 0.5 0
  const Tensor mask = Tensor::from_values({1, 0}, {1, 1, 2});
  const MaskedImageMetrics m = masked_image_metrics(a, b, mask);
  CHECK(m.inside.l1 == Approx(0.75));
  CHECK(m.inside.l2 == Approx(0.625));
  CHECK(m.outside.l1 == 0.0);
}

TEST_CASE("an empty region gives NaN, not an error", "[metrics][image]") {
  const Tensor a = constant(3, 16, 0.2), b = constant(3, 16, 0.4);
  const MaskedImageMetrics empty_mask = masked_image_metrics(a, b, Tensor::zeros({1, 16, 16}));
  CHECK(std::isnan(empty_mask.inside.l1));
  CHECK(std::isnan(empty_mask.inside.l2));
  CHECK(std::isnan(empty_mask.inside.ssim));
  CHECK(empty_mask.outside.l1 == Approx(0.2));
  const MaskedImageMetrics full_mask = masked_image_metrics(a, b, Tensor::full({1, 16, 16}, 1.0));
  CHECK(std::isnan(full_mask.outside.l1));
  CHECK(full_mask.inside.l2 == Approx(0.04));
  const MaskedImageMetrics no_mask = masked_image_metrics(a, b, Tensor());
  CHECK(std::isnan(no_mask.inside.l1));
  CHECK(std::isnan(no_mask.outside.ssim));
  CHECK(no_mask.all.l1 == Approx(0.2));
}

TEST_CASE("SSIM of identical images is 1 in every region", "[metrics][image][ssim]") {
  Tensor a = Tensor::empty({3, 20, 24});
  float* values = a.data<float>();
  for (int64_t i = 0; i < a.numel(); ++i) values[i] = float((i * 37 % 101) / 100.0);
  Tensor mask = Tensor::zeros({1, 20, 24});
  for (int64_t i = 0; i < 240; ++i) mask.data<float>()[i] = 1;  // the top 10 rows
  const MaskedImageMetrics m = masked_image_metrics(a, a.clone(), mask);
  CHECK(m.all.ssim == Approx(1.0).epsilon(1e-12));
  CHECK(m.inside.ssim == Approx(1.0).epsilon(1e-12));
  CHECK(m.outside.ssim == Approx(1.0).epsilon(1e-12));
  CHECK(m.all.l1 == 0.0);
}

TEST_CASE("SSIM of a constant image and its constant shift, by hand", "[metrics][image][ssim]") {
  // No variance anywhere: S = (2 mu_x mu_y + C1) / (mu_x^2 + mu_y^2 + C1), C1 = 0.01^2.
  const MaskedImageMetrics m = masked_image_metrics(constant(1, 12, 0.25), constant(1, 12, 0.5), Tensor());
  const double expected = (2 * 0.25 * 0.5 + 1e-4) / (0.0625 + 0.25 + 1e-4);
  CHECK(m.all.ssim == Approx(expected).epsilon(1e-10));
  // With data range 2 the constants grow: C1 = 0.02^2.
  SsimOptions wide;
  wide.data_range = 2;
  const MaskedImageMetrics w = masked_image_metrics(constant(1, 12, 0.25), constant(1, 12, 0.5), Tensor(), wide);
  CHECK(w.all.ssim == Approx((0.25 + 4e-4) / (0.3125 + 4e-4)).epsilon(1e-10));
}

TEST_CASE("SSIM inside and outside use the cropped map restricted to the mask", "[metrics][image][ssim]") {
  // A 16x16 image: the crop keeps rows/columns 5..10. A mask on rows 0..4 lies entirely in the
  // cropped border, so its SSIM is NaN while its L1 is defined.
  const Tensor a = constant(1, 16, 0.25), b = constant(1, 16, 0.5);
  Tensor mask = Tensor::zeros({1, 16, 16});
  for (int64_t i = 0; i < 5 * 16; ++i) mask.data<float>()[i] = 1;
  const MaskedImageMetrics m = masked_image_metrics(a, b, mask);
  CHECK(std::isnan(m.inside.ssim));
  CHECK(m.inside.l1 == Approx(0.25));
  CHECK(m.outside.ssim == Approx(m.all.ssim));
  CHECK(ssim_crop() == 5);
  CHECK(ssim_map(a, b).shape() == Shape({16, 16}));
}

TEST_CASE("image metrics reject mismatched shapes naming both", "[metrics][image]") {
  const Tensor a = Tensor::zeros({3, 16, 16}), b = Tensor::zeros({3, 16, 15});
  CHECK_THROWS_WITH(masked_image_metrics(a, b, Tensor()), Catch::Contains("[3, 16, 16]") && Catch::Contains("[3, 16, 15]"));
  CHECK_THROWS_WITH(masked_image_metrics(a, a, Tensor::zeros({1, 8, 8})),
                    Catch::Contains("[1, 8, 8]") && Catch::Contains("[3, 16, 16]"));
  CHECK_THROWS_WITH(ssim_map(Tensor::zeros({1, 8, 8}), Tensor::zeros({1, 8, 8})), Catch::Contains("smaller than"));
  CHECK_THROWS_AS(masked_image_metrics(Tensor::zeros({16, 16}), Tensor::zeros({16, 16}), Tensor()), Error);
}
