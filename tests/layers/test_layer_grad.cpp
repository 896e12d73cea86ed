// f64 finite-difference checks of every layer, with respect to its inputs and all its parameters.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/reduce.h"
#include "layers/activations.h"
#include "layers/adain.h"
#include "layers/conv.h"
#include "layers/noise_injection.h"
#include "layers/norm.h"
#include "layers/spade.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_tensor;
using testing::random_input;

namespace {
// The inputs followed by every parameter of `module` (moved to f64 first).
VariableList with_parameters(Module& module, VariableList inputs) {
  for (Variable& parameter : module.parameters()) inputs.push_back(parameter);
  return inputs;
}
}  // namespace

TEST_CASE("conv layers: gradients for input, weight and bias", "[layers][grad]") {
  Generator generator(5);
  SECTION("Conv2d, reflect padding, stride 2") {
    Conv2d conv(2, 3, 3, Conv2dOptions{.stride = 2, .padding = 1, .padding_mode = PadMode::reflect}, generator);
    conv.to(DType::f64);
    VariableList inputs = with_parameters(conv, {random_input({2, 2, 5, 5}, 1)});
    auto f = [&](const VariableList& v) { return conv.forward(v[0]); };
    CHECK_GRADIENTS(f, inputs);
    auto squared = [&](const VariableList& v) { Variable y = conv.forward(v[0]); return y * y; };
    CHECK_SECOND_ORDER_GRADIENTS(squared, inputs);
  }
  SECTION("Conv2d with spectral norm (eval: fixed u, v; sigma depends on the weight)") {
    Conv2d conv(2, 3, 3, Conv2dOptions{.padding = 1}, generator);
    conv.apply_spectral_norm(generator);
    conv.to(DType::f64);
    conv.eval();
    VariableList inputs = with_parameters(conv, {random_input({1, 2, 4, 4}, 2)});
    auto f = [&](const VariableList& v) { Variable y = conv.forward(v[0]); return leaky_relu(y, 0.2) * y; };
    CHECK_GRADIENTS(f, inputs);
    CHECK_SECOND_ORDER_GRADIENTS(f, inputs);
  }
  SECTION("ConvTranspose2d k4 s2 p1") {
    ConvTranspose2d deconv(3, 2, 4, ConvTranspose2dOptions{.stride = 2, .padding = 1}, generator);
    deconv.to(DType::f64);
    VariableList inputs = with_parameters(deconv, {random_input({1, 3, 3, 3}, 3)});
    CHECK_GRADIENTS([&](const VariableList& v) { return deconv.forward(v[0]); }, inputs);
  }
  SECTION("Linear") {
    Linear linear(4, 3, true, generator);
    linear.to(DType::f64);
    VariableList inputs = with_parameters(linear, {random_input({2, 4}, 4)});
    CHECK_GRADIENTS([&](const VariableList& v) { return tanh(linear.forward(v[0])); }, inputs);
  }
}

TEST_CASE("norm layers: gradients", "[layers][grad]") {
  SECTION("BatchNorm2d, training") {
    BatchNorm2d norm(3);
    norm.to(DType::f64);
    VariableList inputs = with_parameters(norm, {random_input({2, 3, 3, 3}, 5)});
    auto f = [&](const VariableList& v) { return norm.forward(v[0]) * v[0]; };
    CHECK_GRADIENTS(f, inputs);
  }
  SECTION("InstanceNorm2d, affine") {
    InstanceNorm2d norm(3, 1e-5, true);
    norm.to(DType::f64);
    VariableList inputs = with_parameters(norm, {random_input({2, 3, 3, 3}, 6)});
    auto f = [&](const VariableList& v) { return norm.forward(v[0]) * v[0]; };
    CHECK_GRADIENTS(f, inputs);
    CHECK_SECOND_ORDER_GRADIENTS(f, inputs);
  }
}

TEST_CASE("modulation layers: gradients", "[layers][grad]") {
  Generator generator(6);
  SECTION("AdaIN") {
    AdaIN adain(3, 2, generator);
    adain.to(DType::f64);
    VariableList inputs = with_parameters(adain, {random_input({2, 2, 3, 3}, 7), random_input({2, 3}, 8)});
    CHECK_GRADIENTS([&](const VariableList& v) { return adain.forward(v[0], v[1]); }, inputs);
  }
  SECTION("SPADE") {
    Spade spade(2, 2, generator, SpadeNorm::instance, 3);
    spade.to(DType::f64);
    VariableList inputs = with_parameters(spade, {random_input({1, 2, 4, 4}, 9), random_input({1, 2, 2, 2}, 10)});
    CHECK_GRADIENTS([&](const VariableList& v) { return spade.forward(v[0], v[1]); }, inputs);
  }
  SECTION("OD-SPADE") {
    OdSpade spade(2, 3, 3, 3, generator);
    spade.to(DType::f64);
    VariableList inputs = with_parameters(spade, {random_input({2, 2, 3, 3}, 11), random_input({2, 3}, 12)});
    CHECK_GRADIENTS([&](const VariableList& v) { return spade.forward(v[0], v[1]); }, inputs);
  }
  SECTION("NoiseInjection with given noise") {
    NoiseInjection noise(2, generator);
    noise.to(DType::f64);
    noise.weight.set_data(random_tensor({2}, 13));
    VariableList inputs = with_parameters(noise, {random_input({1, 2, 3, 3}, 14), random_input({1, 1, 3, 3}, 15)});
    CHECK_GRADIENTS([&](const VariableList& v) { return noise.forward_with_noise(v[0], v[1]); }, inputs);
  }
}

TEST_CASE("gradient reversal negates and scales the gradient", "[layers][grad]") {
  GradientReversal reversal(0.5);
  Variable x(Tensor::from_values({1, 2, 3}, {3}, DType::f64), true);
  Variable y = reversal.forward(x);
  CHECK(y.data().to_vector() == std::vector<double>{1, 2, 3});
  backward(sum(y * y));  // d/dx sum(x^2) = 2x, reversed and halved: -x
  CHECK(x.grad().data().to_vector() == std::vector<double>{-1, -2, -3});
}
