// seggan's parts that stand alone: the patch weighting of paper 000 eq. 3, the image pool, the
// config's JSON round trip.
#include <catch2/catch.hpp>

#include "autograd/variable.h"
#include "models/seggan/config.h"
#include "models/seggan/image_pool.h"
#include "models/nets/patchgan.h"
#include "models/seggan/mask_weight.h"
#include "runtime/error.h"
#include "tests/support/compare.h"

using namespace dforge;
using namespace dforge::models;

TEST_CASE("patchgan_window walks the PatchGAN layer list", "[seggan]") {
  // n_layers 2: 4x4 s2 p1, 4x4 s2 p1, 4x4 s1 p1, 4x4 s1 p1 -> 34 pixels, stride 4, from -11.
  PatchWindow two = patchgan_window(2);
  CHECK(two.size == 34);
  CHECK(two.stride == 4);
  CHECK(two.offset == -11);
  PatchWindow one = patchgan_window(1);
  CHECK(one.size == 16);
  CHECK(one.stride == 2);
  CHECK(one.offset == -5);
  PatchWindow three = patchgan_window(3);
  CHECK(three.size == 70);
  CHECK(three.stride == 8);
  CHECK(three.offset == -23);
}

TEST_CASE("patch_mask_weights: the clipped defect fraction of each patch's window", "[seggan]") {
  // One defect pixel at (row 0, col 0) of a 64 x 64 mask. Window (0, 0) covers rows and columns
  // [-11, 23): it holds the pixel, 1 of 34 * 34 = 1156. Window (0, 3) covers columns [1, 35): none.
  Tensor mask = Tensor::zeros({1, 1, 64, 64});
  mask.data<float>()[0] = 1.0f;
  Variable weights = patch_mask_weights(Variable(mask), 2, 0.0);
  REQUIRE(weights.shape() == Shape{1, 1, 14, 14});  // (64 + 22 - 34) / 4 + 1, D's output size
  const float* w = weights.data().data<float>();
  CHECK(w[0] == Approx(1.0 / 1156.0).epsilon(1e-6));
  CHECK(w[3] == 0.0f);
  CHECK(w[14 * 3] == 0.0f);

  // The clip is a lower bound: max(lambda_clip, fraction).
  Variable clipped = patch_mask_weights(Variable(mask), 2, 0.25);
  CHECK(clipped.data().data<float>()[0] == Approx(0.25));
  CHECK(clipped.data().data<float>()[3] == Approx(0.25));

  // A full mask: interior windows are all defect, border windows include the padding.
  Variable full = patch_mask_weights(Variable(Tensor::full({1, 1, 64, 64}, 1.0)), 2, 0.0);
  CHECK(full.data().data<float>()[7 * 14 + 7] == Approx(1.0));
  CHECK(full.data().data<float>()[0] == Approx(23.0 * 23.0 / 1156.0));  // rows, cols [0, 23) of [-11, 23)
  // lambda_clip 1 turns the weighting off.
  Variable off = patch_mask_weights(Variable(mask), 2, 1.0);
  for (double value : off.data().to_vector()) CHECK(value == 1.0);
}

namespace {
Tensor numbered(int64_t n, double first) {
  std::vector<double> values;
  for (int64_t i = 0; i < n; ++i) values.push_back(first + double(i));
  return Tensor::from_values(values, {n, 1});
}
}  // namespace

TEST_CASE("ImagePool stores until full, then swaps half of the time", "[seggan]") {
  Generator generator(7);
  ImagePool none(0);
  CHECK(none.query({numbered(3, 0)}, generator)[0].to_vector() == std::vector<double>{0, 1, 2});

  ImagePool pool(4);
  // Filling: every image is stored and returned as is.
  CHECK(pool.query({numbered(3, 0), numbered(3, 100)}, generator)[0].to_vector() == std::vector<double>{0, 1, 2});
  CHECK(pool.size() == 3);
  CHECK(pool.query({numbered(1, 3), numbered(1, 103)}, generator)[0].to_vector() == std::vector<double>{3});
  CHECK(pool.size() == 4);

  // Full: over many queries about half the images come back from the pool, each with its partner.
  int swapped = 0;
  for (int i = 0; i < 400; ++i) {
    std::vector<Tensor> out = pool.query({numbered(1, 1000 + i), numbered(1, 5000 + i)}, generator);
    const double image = out[0].item(), partner = out[1].item();
    CHECK(partner - image == (image >= 1000 ? 4000 : 100));  // the pair stays together
    if (image != 1000 + i) ++swapped;
  }
  CHECK(swapped > 150);
  CHECK(swapped < 250);
}

TEST_CASE("ImagePool state round-trips: the same draws after a reload", "[seggan]") {
  Generator a(3);
  ImagePool pool(2);
  for (int i = 0; i < 5; ++i) pool.query({numbered(1, i)}, a);
  ImagePool copy(2);
  copy.load_state_dict(pool.state_dict("pool."), "pool.", Device::cpu());
  Generator b(0);
  b.set_state(a.seed(), a.draws());
  for (int i = 0; i < 20; ++i)
    CHECK(pool.query({numbered(1, 10 + i)}, a)[0].item() == copy.query({numbered(1, 10 + i)}, b)[0].item());
  ImagePool small(1);
  CHECK_THROWS_WITH(small.load_state_dict(pool.state_dict("pool."), "pool.", Device::cpu()),
                    Catch::Contains("exceed the capacity"));
}

TEST_CASE("SegganConfig: JSON round trip, unknown keys and bad values refused", "[seggan]") {
  SegganConfig config;
  config.generator = "resnet";
  config.lambda_clip = 0.3;
  config.surfaces = {"wood", "twill"};
  config.steps = 77;
  SegganConfig back = seggan_config_from_json(to_json(config));
  CHECK(to_json(back) == to_json(config));
  CHECK(back.surfaces == std::vector<std::string>{"wood", "twill"});

  CHECK_THROWS_WITH(seggan_config_from_json(nlohmann::json{{"lamda_clip", 0.5}}), Catch::Contains("'lamda_clip'"));
  CHECK_THROWS_WITH(seggan_config_from_json(nlohmann::json{{"steps", "many"}}), Catch::Contains("'steps'"));
  SegganConfig bad;
  bad.lambda_clip = 2.0;
  CHECK_THROWS_WITH(bad.validate(), Catch::Contains("lambda_clip"));
  bad = SegganConfig{};
  bad.crop = 96;  // log2 -> 6 levels, 96 is not divisible by 64
  CHECK_THROWS_WITH(bad.validate(), Catch::Contains("divisible by 64"));
  SegganConfig defaults;
  CHECK(defaults.unet_depth() == 8);  // 256 -> a 1 x 1 bottleneck, as the reference
}
