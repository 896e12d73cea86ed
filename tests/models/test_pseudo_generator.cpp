// The pseudo-defect generator (paper 004): determinism, exact masks, shape coverage, and the
// size and rotation ranges.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "models/pseudo/generator.h"
#include "models/pseudo/rasterise.h"
#include "runtime/random.h"

using namespace dforge;
using namespace dforge::models::pseudo;

namespace {

Tensor random_image(int channels, int size, uint64_t seed) {
  Tensor image = Tensor::empty({channels, size, size});
  Generator generator(seed);
  runtime::fill_uniform(image, 0.0, 1.0, generator);
  return image;
}

}  // namespace

TEST_CASE("pseudo: the same stream paints the same defects, another stream others", "[pseudo]") {
  const Tensor image = random_image(3, 48, 1);
  data::RandomStream a(7, 11), b(7, 11), c(7, 12);
  PseudoDefect first = paint_pseudo_defects(image, {}, a);
  PseudoDefect second = paint_pseudo_defects(image, {}, b);
  PseudoDefect other = paint_pseudo_defects(image, {}, c);
  CHECK(first.image.to_vector() == second.image.to_vector());
  CHECK(first.mask.to_vector() == second.mask.to_vector());
  CHECK(first.image.to_vector() != other.image.to_vector());
}

TEST_CASE("pseudo: outside the mask the image is untouched, inside every pixel is painted", "[pseudo]") {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    INFO("seed " << seed);
    const Tensor image = random_image(4, 40, seed);
    data::RandomStream stream(seed, 0);
    PseudoOptions options;
    PseudoDefect defect = paint_pseudo_defects(image, options, stream);
    REQUIRE(defect.image.shape() == image.shape());
    REQUIRE(defect.mask.shape() == Shape{1, 40, 40});
    const std::vector<double> before = image.to_vector(), after = defect.image.to_vector();
    const std::vector<double> mask = defect.mask.to_vector(), opacity = defect.opacity.to_vector();
    int64_t masked = 0;
    for (size_t p = 0; p < mask.size(); ++p) {
      REQUIRE((mask[p] == 0.0 || mask[p] == 1.0));
      // Mask and paint agree exactly: mask = 1 iff opacity > 0, and opacity >= the floor there.
      REQUIRE((mask[p] == 1.0) == (opacity[p] > 0.0));
      if (mask[p] == 1.0) {
        ++masked;
        REQUIRE(opacity[p] >= options.min_opacity * options.edge_floor * (1 - 1e-6));
      }
      for (int c = 0; c < 4; ++c) {
        const size_t at = c * mask.size() + p;
        if (mask[p] == 0.0) REQUIRE(after[at] == before[at]);  // bit for bit
        REQUIRE((after[at] >= -1e-6 && after[at] <= 1 + 1e-6));
      }
    }
    CHECK(masked > 0);  // min_count = 1 and empty shapes are redrawn
  }
}

TEST_CASE("pseudo: without noise, white defects on black change every masked pixel", "[pseudo]") {
  PseudoOptions options;
  options.noise_std = 0;
  options.colour_jitter = 0;
  options.colours = {BaseColour::white};
  const Tensor black = Tensor::zeros({1, 32, 32});
  data::RandomStream stream(3, 4);
  PseudoDefect defect = paint_pseudo_defects(black, options, stream);
  const std::vector<double> after = defect.image.to_vector(), mask = defect.mask.to_vector();
  for (size_t p = 0; p < mask.size(); ++p) REQUIRE((after[p] > 0) == (mask[p] == 1.0));
}

TEST_CASE("pseudo: every shape kind is drawn, within the size and rotation ranges", "[pseudo]") {
  PseudoOptions options;
  options.min_size = 0.2;
  options.max_size = 0.3;
  options.min_angle = 10;
  options.max_angle = 20;
  options.min_count = options.max_count = 1;
  const Tensor image = random_image(1, 64, 2);
  std::set<ShapeKind> seen;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    data::RandomStream stream(seed, 1);
    PseudoDefect defect = paint_pseudo_defects(image, options, stream);
    REQUIRE(defect.shapes.size() == 1);
    const DrawnShape& shape = defect.shapes[0];
    seen.insert(shape.kind);
    CHECK(shape.placement.radius >= 0.5 * 0.2 * 64);
    CHECK(shape.placement.radius <= 0.5 * 0.3 * 64);
    CHECK(shape.placement.angle * 180 / 3.14159265358979 >= 10 - 1e-9);
    CHECK(shape.placement.angle * 180 / 3.14159265358979 <= 20 + 1e-9);
    // The mask lies within the shape's disc (pixel centres within the radius).
    const std::vector<double> mask = defect.mask.to_vector();
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 64; ++x)
        if (mask[y * 64 + x] == 1.0)
          REQUIRE(std::hypot(x + 0.5 - shape.placement.centre_x, y + 0.5 - shape.placement.centre_y) <=
                  shape.placement.radius + 1e-9);
  }
  CHECK(seen.size() == all_shape_kinds().size());
}

TEST_CASE("pseudo: a placed square covers exactly the pixel centres inside it", "[pseudo]") {
  // The unit square rotated by 45 degrees has its corners on the axes: |x| + |y| <= 1... here an
  // axis-aligned square from rectangle corners at radius 1: half side 1/sqrt(2).
  const Outline square = {{-2, -2}, {2, -2}, {2, 2}, {-2, 2}};
  Footprint footprint = rasterise(place(square, {8, 8, 1, 0}), 16, 16);
  CHECK(footprint.count() == 16);  // centres 6.5 .. 9.5 in x and y
  CHECK(footprint.inside[6 * 16 + 6] == 1);
  CHECK(footprint.inside[5 * 16 + 6] == 0);
}

TEST_CASE("pseudo: bad options and images are refused with a message", "[pseudo]") {
  data::RandomStream stream(0, 0);
  PseudoOptions options;
  options.min_size = 0.5;
  options.max_size = 0.1;
  CHECK_THROWS_WITH(paint_pseudo_defects(random_image(3, 16, 0), options, stream), Catch::Contains("size range"));
  CHECK_THROWS_WITH(paint_pseudo_defects(Tensor::zeros({16, 16}), {}, stream), Catch::Contains("[C, H, W]"));
  CHECK_THROWS_WITH(shape_kind_from_name("circle"), Catch::Contains("circle"));
}
