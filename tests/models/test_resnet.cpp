// torchvision's ResNet-18/34/50 (models/nets/resnet.h): state-dict names, counts and element totals
// against hand-derived expectations, output shapes, and the headless backbone. Values are checked
// against PyTorch in tests/parity/test_inspect.py.
//
// State-dict tensors, worked out from torchvision's layout (a BatchNorm2d holds 5 tensors: weight,
// bias, running_mean, running_var, num_batches_tracked; a conv 1; fc 2):
//   stem conv1 + bn1 = 6
//   BasicBlock = 2 convs + 2 BN = 12, with downsample 18; Bottleneck = 3 + 3 BN = 18, with downsample 24
//   resnet18 [2,2,2,2]: layer1 24, layer2..4 (first block downsamples) 3 x 30  -> 6 + 24 + 90 + 2 = 122
//   resnet34 [3,4,6,3]: 36 + 54 + 78 + 42                                       -> 6 + 210 + 2 = 218
//   resnet50 [3,4,6,3]: every stage's first block downsamples: 60 + 78 + 114 + 60 -> 6 + 312 + 2 = 320
// Parameters (3 tensors of each BN are buffers): 18: 20 BN -> 62; 34: 36 BN -> 110; 50: 53 BN -> 161.
// Element totals with 3 input channels and 1000 classes: 11,689,512 (18) and 25,557,032 (50), the
// numbers torchvision publishes.
#include <catch2/catch.hpp>

#include <algorithm>

#include "autograd/grad_mode.h"
#include "models/nets/resnet.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using namespace dforge::models;
using Catch::Matchers::Contains;

namespace {

const Tensor* find(const NamedTensors& tensors, const std::string& name) {
  for (const auto& [key, tensor] : tensors) {
    if (key == name) return &tensor;
  }
  return nullptr;
}

Shape shape_of(const NamedTensors& tensors, const std::string& name) {
  const Tensor* tensor = find(tensors, name);
  INFO(name);
  REQUIRE(tensor != nullptr);
  return tensor->shape();
}

int64_t parameter_elements(Module& module) {
  int64_t total = 0;
  for (const Variable& parameter : module.parameters()) total += parameter.numel();
  return total;
}

Variable random_image(const Shape& shape, uint64_t seed) {
  return Variable(testing::random_tensor(shape, seed, -1.0, 1.0, DType::f32));
}

}  // namespace

TEST_CASE("ResNet state dicts have torchvision's names and counts", "[nets][resnet]") {
  Generator generator(0);
  ResNet resnet18({18, 3, 1000}, generator);
  const NamedTensors state18 = resnet18.state_dict();
  CHECK(state18.size() == 122);
  CHECK(resnet18.parameters().size() == 62);
  CHECK(parameter_elements(resnet18) == 11689512);
  CHECK(shape_of(state18, "conv1.weight") == Shape{64, 3, 7, 7});
  CHECK(shape_of(state18, "bn1.num_batches_tracked") == Shape{});
  CHECK(shape_of(state18, "layer1.0.conv1.weight") == Shape{64, 64, 3, 3});
  CHECK(shape_of(state18, "layer2.0.conv1.weight") == Shape{128, 64, 3, 3});
  CHECK(shape_of(state18, "layer2.0.downsample.0.weight") == Shape{128, 64, 1, 1});
  CHECK(shape_of(state18, "layer2.0.downsample.1.running_var") == Shape{128});
  CHECK(shape_of(state18, "layer4.1.bn2.bias") == Shape{512});
  CHECK(shape_of(state18, "fc.weight") == Shape{1000, 512});
  CHECK(shape_of(state18, "fc.bias") == Shape{1000});
  CHECK(find(state18, "layer1.0.downsample.0.weight") == nullptr);
  CHECK(find(state18, "layer2.1.downsample.0.weight") == nullptr);
  CHECK(state18.front().first == "conv1.weight");
  CHECK(state18.back().first == "fc.bias");

  ResNet resnet34({34, 3, 10, 8}, generator);  // counts do not depend on the width
  CHECK(resnet34.state_dict().size() == 218);
  CHECK(resnet34.parameters().size() == 110);
  CHECK(find(resnet34.state_dict(), "layer3.5.bn2.weight") != nullptr);

  ResNet resnet50({50, 3, 1000}, generator);
  const NamedTensors state50 = resnet50.state_dict();
  CHECK(state50.size() == 320);
  CHECK(resnet50.parameters().size() == 161);
  CHECK(parameter_elements(resnet50) == 25557032);
  CHECK(shape_of(state50, "layer1.0.downsample.0.weight") == Shape{256, 64, 1, 1});
  CHECK(shape_of(state50, "layer1.0.conv3.weight") == Shape{256, 64, 1, 1});
  CHECK(shape_of(state50, "layer2.0.conv2.weight") == Shape{128, 128, 3, 3});  // v1.5: stride on the 3x3
  CHECK(shape_of(state50, "layer4.2.bn3.weight") == Shape{2048});
  CHECK(shape_of(state50, "fc.weight") == Shape{1000, 2048});
}

TEST_CASE("ResNet initialises as torchvision and takes any channel count", "[nets][resnet]") {
  Generator generator(1);
  ResNet net({18, 4, 2, 8}, generator);
  const NamedTensors state = net.state_dict();
  CHECK(shape_of(state, "conv1.weight") == Shape{8, 4, 7, 7});
  // kaiming_normal fan_out: std sqrt(2 / (out channels * 49)) for conv1.
  std::vector<double> values = find(state, "conv1.weight")->to_vector();
  double square = 0;
  for (double v : values) square += v * v / double(values.size());
  CHECK(std::sqrt(square) == Approx(std::sqrt(2.0 / (8 * 49))).epsilon(0.05));
  for (double v : find(state, "bn1.weight")->to_vector()) CHECK(v == 1.0);
  for (double v : find(state, "layer1.0.bn2.bias")->to_vector()) CHECK(v == 0.0);
}

TEST_CASE("ResNet output, feature-map and feature shapes", "[nets][resnet]") {
  Generator generator(2);
  ResNet net({18, 4, 5, 8}, generator);  // width 8: layer4 has 64 channels
  NoGradGuard no_grad;
  const Variable x = random_image({2, 4, 64, 48}, 3);
  CHECK(net.feature_map(x).shape() == Shape{2, 64, 2, 2});
  CHECK(net.features(x).shape() == Shape{2, 64});
  CHECK(net.forward(x).shape() == Shape{2, 5});
  CHECK(net.feature_dim() == 64);
  CHECK(resnet_feature_dim(18) == 512);
  CHECK(resnet_feature_dim(50) == 2048);
  CHECK_THROWS_WITH(net.forward(random_image({2, 3, 32, 32}, 4)), Contains("3 channels"));

  ResNet wide({50, 3, 0, 8}, generator);
  const Variable y = random_image({2, 3, 32, 32}, 5);
  CHECK(wide.feature_map(y).shape() == Shape{2, 256, 1, 1});  // 32 x width
  CHECK(wide.forward(y).shape() == Shape{2, 256});  // headless: forward is the features
  CHECK(find(wide.state_dict(), "fc.weight") == nullptr);
  CHECK_THROWS_WITH(wide.classify(wide.features(y)), Contains("without fc"));
  CHECK_THROWS_WITH(ResNet({20, 3, 2}, generator), Contains("depth 20"));
}
