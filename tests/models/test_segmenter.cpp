// The binary segmenter: a U-Net without the final Tanh (same weights and names), and its loss.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/elementwise.h"
#include "models/inspect/segmenter.h"
#include "runtime/elementwise.h"
#include "runtime/random.h"

using namespace dforge;
using namespace dforge::models;

TEST_CASE("segmenter: logits are the tanh U-Net's pre-activation, with the same state-dict names", "[pseudo]") {
  SegmenterOptions options;
  options.in_channels = 2;
  options.num_downs = 3;
  options.ngf = 4;
  Generator a(5), b(5), data(6);
  auto segmenter = make_segmenter(options, a);
  UnetOptions unet{.in_channels = 2, .out_channels = 1, .num_downs = 3, .ngf = 4, .norm = NormKind::batch};
  UnetGenerator with_tanh(unet, b);
  const NamedTensors names_a = segmenter->state_dict(), names_b = with_tanh.state_dict();
  REQUIRE(names_a.size() == names_b.size());
  for (size_t i = 0; i < names_a.size(); ++i) CHECK(names_a[i].first == names_b[i].first);
  CHECK(infer_unet_options(names_a).out_channels == 1);

  Tensor input = Tensor::empty({2, 2, 16, 16});
  runtime::fill_uniform(input, -1.0, 1.0, data);
  const std::vector<double> logits = segmenter->forward(Variable(input)).data().to_vector();
  const std::vector<double> images = with_tanh.forward(Variable(input)).data().to_vector();
  double worst = 0;
  for (size_t i = 0; i < logits.size(); ++i) worst = std::max(worst, std::abs(std::tanh(logits[i]) - images[i]));
  INFO("worst |tanh(logit) - image| " << worst);
  CHECK(worst < 1e-5);
}

TEST_CASE("segmenter: BCE + Dice by hand", "[pseudo]") {
  // Two pixels: logits 0 and ln 3 (p = 1/2 and 3/4), targets 0 and 1.
  Variable logits(Tensor::from_values({0.0, std::log(3.0)}, {1, 1, 1, 2}));
  Tensor masks = Tensor::from_values({0.0, 1.0}, {1, 1, 1, 2});
  SegmentationLoss loss = segmentation_loss(logits, masks, 0.5);
  const double bce = (std::log(2.0) + std::log(4.0 / 3.0)) / 2;
  const double dice = 1 - (2 * 0.75 + 1) / (0.5 + 0.75 + 1 + 1);
  CHECK(loss.bce.item() == Approx(bce).epsilon(1e-6));
  CHECK(loss.dice.item() == Approx(dice).epsilon(1e-6));
  CHECK(loss.total.item() == Approx(bce + 0.5 * dice).epsilon(1e-6));
  CHECK_THROWS_WITH(segmentation_loss(logits, Tensor::zeros({1, 1, 2, 1}), 1.0), Catch::Contains("[N, 1, H, W]"));
}
