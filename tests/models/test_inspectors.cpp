// The inspectors of models/inspect/: the classifier's heads and names, gradient reversal on the
// source head only, a few Adam steps lowering the classification loss on a fixed batch, and the
// autoencoder's shapes, names and anomaly maps.
#include <catch2/catch.hpp>

#include <algorithm>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/grad_mode.h"
#include "autograd/matmul.h"
#include "autograd/reduce.h"
#include "layers/optimizer.h"
#include "models/inspect/autoencoder.h"
#include "models/inspect/classifier.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using namespace dforge::models;
using Catch::Matchers::Contains;

namespace {

Variable random_image(const Shape& shape, uint64_t seed) {
  return Variable(testing::random_tensor(shape, seed, -1.0, 1.0, DType::f32));
}

Variable parameter(Module& module, const std::string& name) {
  for (auto& [key, value] : module.named_parameters()) {
    if (key == name) return value;
  }
  FAIL("no parameter " << name);
  return {};
}

bool has_tensor(const Module& module, const std::string& name) {
  for (const auto& [key, tensor] : module.state_dict()) {
    if (key == name) return true;
  }
  return false;
}

// max |a - b| over two tensors of one shape.
double max_difference(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  std::vector<double> x = a.to_vector(), y = b.to_vector();
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::abs(x[i] - y[i]));
  return worst;
}

data::Batch labelled_batch(int64_t size, int channels, int side, uint64_t seed) {
  data::Batch batch;
  batch.images = testing::random_tensor({size, channels, side, side}, seed, -1.0, 1.0, DType::f32);
  std::vector<double> labels;
  for (int64_t i = 0; i < size; ++i) {
    labels.push_back(double(i % 2));
    batch.defects.push_back(i % 2 ? "synthetic" : "good");
  }
  batch.labels = Tensor::from_values(labels, {size}, DType::i32);
  return batch;
}

}  // namespace

TEST_CASE("Classifier names: the backbone's torchvision names, the source head when asked", "[inspect]") {
  Generator generator(0);
  Classifier plain({.depth = 18, .in_channels = 4, .num_classes = 2, .width = 8}, generator);
  CHECK(has_tensor(plain, "backbone.conv1.weight"));
  CHECK(has_tensor(plain, "backbone.fc.weight"));
  CHECK(!has_tensor(plain, "source_head.weight"));
  CHECK(plain.state_dict().size() == 122);
  Classifier adversarial({.in_channels = 4, .num_classes = 3, .source_head = true, .width = 8}, generator);
  CHECK(adversarial.state_dict().size() == 124);
  CHECK(parameter(adversarial, "source_head.weight").shape() == Shape{2, 64});  // 8 x width
  CHECK(parameter(adversarial, "backbone.fc.weight").shape() == Shape{3, 64});
  NoGradGuard no_grad;
  ClassifierOutputs outputs = adversarial.forward_heads(random_image({2, 4, 32, 32}, 1));
  CHECK(outputs.class_logits.shape() == Shape{2, 3});
  CHECK(outputs.source_logits.shape() == Shape{2, 2});
  CHECK(synthetic_sources(labelled_batch(3, 4, 32, 2)).to_vector() == std::vector<double>{0, 1, 0});
}

TEST_CASE("Gradient reversal flips the source head's gradient into the backbone, and only that", "[inspect]") {
  Generator generator(3);
  const double lambda = 0.5;
  Classifier classifier({.in_channels = 3, .source_head = true, .grl_lambda = lambda, .width = 8}, generator);
  classifier.eval();  // running statistics: every forward below computes the same function
  const Variable x = random_image({2, 3, 32, 32}, 4);
  Variable probe = parameter(classifier, "backbone.layer4.1.conv2.weight");
  Variable source_weight = parameter(classifier, "source_head.weight");
  Variable source_bias = parameter(classifier, "source_head.bias");
  auto gradients_after = [&](const std::function<Variable()>& objective) {
    classifier.zero_grad();
    backward(objective());
    return std::make_pair(probe.grad().data().clone(), source_weight.grad().defined()
                                                           ? source_weight.grad().data().clone()
                                                           : Tensor());
  };
  // Through the classifier (GRL inside) and by hand (no GRL) for the source head...
  auto [reversed, head_reversed] = gradients_after([&] { return sum(classifier.forward_heads(x).source_logits); });
  auto [plain, head_plain] = gradients_after(
      [&] { return sum(linear(classifier.backbone().features(x), source_weight, source_bias)); });
  Tensor expected = (Variable(plain) * -lambda).data();
  INFO("backbone gradient vs -lambda x the plain one: " << max_difference(reversed, expected));
  CHECK(max_difference(reversed, expected) <= 1e-6 * (1 + max_difference(plain, Tensor::zeros(plain.shape()))));
  CHECK(max_difference(head_reversed, head_plain) <= 1e-6);  // the head itself learns normally
  // ...and the class head is not reversed.
  auto [through_class, unused] = gradients_after([&] { return sum(classifier.forward_heads(x).class_logits); });
  auto [by_hand, unused2] = gradients_after(
      [&] { return sum(classifier.backbone().classify(classifier.backbone().features(x))); });
  CHECK(max_difference(through_class, by_hand) <= 1e-6);
}

TEST_CASE("A few Adam steps lower the classifier's loss on a fixed batch", "[inspect]") {
  Generator generator(5);
  Classifier classifier({.in_channels = 4, .source_head = true, .width = 8}, generator);
  Adam optimizer(classifier.named_parameters(), AdamOptions{.lr = 1e-3});
  const data::Batch batch = labelled_batch(4, 4, 32, 6);
  std::vector<double> losses;
  for (int step = 0; step < 3; ++step) {
    optimizer.zero_grad();
    InspectorLoss loss = classifier.loss(batch);
    REQUIRE(loss.terms.size() == 3);  // class, source, total
    losses.push_back(loss.terms[0].second);
    backward(loss.total);
    optimizer.step();
  }
  INFO("class losses " << losses[0] << " ... " << losses.back());
  CHECK(losses.back() < losses.front());
  classifier.eval();
  Inspection inspection = classifier.inspect(batch.images);
  REQUIRE(inspection.scores.size() == 4);
  for (double score : inspection.scores) CHECK((score >= 0.0 && score <= 1.0));
  CHECK(!inspection.maps.defined());
}

TEST_CASE("Autoencoder: mirrored decoder back to the input size, error maps and scores", "[inspect]") {
  Generator generator(7);
  Autoencoder autoencoder({4, ReconstructionLoss::l2, 8}, generator);
  CHECK(has_tensor(autoencoder, "encoder.layer4.1.bn2.running_var"));
  CHECK(!has_tensor(autoencoder, "encoder.fc.weight"));
  // Width 8: 64 -> 32 -> 16 -> 8 -> 8 -> 4 channels (512 ... 32 at torchvision's 64).
  CHECK(parameter(autoencoder, "decoder.0.weight").shape() == Shape{64, 32, 4, 4});
  CHECK(parameter(autoencoder, "decoder.12.weight").shape() == Shape{8, 4, 4, 4});
  CHECK(parameter(autoencoder, "decoder.15.weight").shape() == Shape{4, 4, 3, 3});
  CHECK(autoencoder.state_dict().size() == 120 + 5 * 6 + 2);  // encoder, 5 x (ConvT + BN), output conv

  NoGradGuard no_grad;
  const Variable x = random_image({2, 4, 32, 64}, 8);
  Variable reconstruction = autoencoder.forward(x);
  CHECK(reconstruction.shape() == x.shape());
  std::vector<double> values = reconstruction.data().to_vector();
  CHECK(*std::max_element(values.begin(), values.end()) < 1.0);  // tanh
  CHECK(*std::min_element(values.begin(), values.end()) > -1.0);
  autoencoder.eval();
  Inspection inspection = autoencoder.inspect(x.data());
  REQUIRE(inspection.maps.shape() == Shape{2, 1, 32, 64});
  Variable expected_maps = mean(pow(autoencoder.forward(x) - x, 2.0), {1}, true);  // eval mode, as inspect
  CHECK(max_difference(inspection.maps, expected_maps.data()) <= 1e-6);
  std::vector<double> expected_scores = mean(expected_maps, {1, 2, 3}).data().to_vector();
  CHECK(inspection.scores[0] == Approx(expected_scores[0]));
  CHECK(inspection.scores[1] == Approx(expected_scores[1]));
  CHECK_THROWS_WITH(autoencoder.forward(random_image({1, 4, 30, 32}, 9)), Contains("multiples of 32"));
  CHECK_THROWS_WITH(parse_reconstruction_loss("l3"), Contains("l3"));
}
