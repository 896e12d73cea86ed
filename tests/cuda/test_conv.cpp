// CUDA convolutions against the CPU, on every path (runtime/cuda/conv_mode.h: native im2col +
// cuBLAS with a gather col2im, cuDNN when built, and auto): conv2d, its input and weight adjoints
// and conv_transpose2d over strides, paddings, dilations, pointwise kernels, output_padding and
// biases; rtol 1e-4 (the summation orders inside GEMMs differ).
#include <catch2/catch.hpp>

#include "runtime/conv.h"
#include "runtime/cuda/conv_mode.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

namespace {

struct ConvCase {
  Shape input, weight;  // conv2d's
  ConvParams params;
};

const std::vector<ConvCase> kCases = {
    {{2, 3, 8, 8}, {4, 3, 3, 3}, {}},
    {{2, 3, 9, 7}, {5, 3, 3, 3}, {.stride = 2, .padding = 1}},
    {{1, 4, 16, 16}, {8, 4, 4, 4}, {.stride = 2, .padding = 1}},
    {{2, 5, 11, 13}, {3, 5, 3, 2}, {.stride = 1, .padding = 2, .dilation = 2}},
    {{3, 6, 5, 5}, {7, 6, 1, 1}, {}},
    {{2, 2, 7, 7}, {3, 2, 1, 1}, {.stride = 2}},
    {{1, 3, 33, 31}, {16, 3, 7, 7}, {.stride = 3, .padding = 3}},
    {{0, 3, 8, 8}, {4, 3, 3, 3}, {.padding = 1}},
    // stride and dilation together (col2im's divisibility test with both)
    {{2, 6, 10, 9}, {5, 6, 3, 3}, {.stride = 2, .padding = 2, .dilation = 2}},
    // an input of zero height that the padding turns into a 2 x 7 output: cuDNN takes no empty
    // tensor, so its path must fall back to the native one
    {{1, 6, 0, 5}, {5, 6, 1, 1}, {.padding = 1}},
};

// The convolution paths this build has, as Catch2 sections; the mode goes back to native after.
struct ModeScope {
  explicit ModeScope(cuda::ConvMode mode) { cuda::set_conv_mode(mode); }
  ~ModeScope() { cuda::set_conv_mode(cuda::ConvMode::native); }
};

std::vector<std::pair<const char*, cuda::ConvMode>> conv_modes() {
  std::vector<std::pair<const char*, cuda::ConvMode>> modes = {{"native", cuda::ConvMode::native}};
  if (cuda::cudnn_built()) {
    modes.emplace_back("cudnn", cuda::ConvMode::cudnn);
    modes.emplace_back("auto", cuda::ConvMode::automatic);
  }
  return modes;
}

}  // namespace

TEST_CASE("cuda conv2d and its adjoints agree with the cpu", "[cuda][conv]") {
  for (const auto& [mode_name, mode] : conv_modes()) {
    const ModeScope scope(mode);
    INFO("DFORGE_CONV=" << mode_name);
    for (DType dtype : {DType::f32, DType::f64}) {
      const double tolerance = dtype == DType::f32 ? 1e-4 : 1e-12;
      for (const ConvCase& c : kCases) {
        const Shape output = runtime::conv2d_output_shape(c.input, c.weight, c.params);
        const Tensor x = random_input(c.input, 81, dtype), weight = random_input(c.weight, 82, dtype);
        const Tensor bias = random_input({c.weight[0]}, 83, dtype),
                     grad_output = random_input(output, 84, dtype);
        CHECK_DEVICES_AGREE(
            concat("conv2d ", x.describe(), " weight ", shape_str(c.weight)),
            [&](const std::vector<Tensor>& in) {
              return std::vector<Tensor>{runtime::conv2d(in[0], in[1], in[2], c.params),
                                         runtime::conv2d(in[0], in[1], Tensor(), c.params),
                                         runtime::conv2d_input_grad(in[3], in[1], c.input, c.params),
                                         runtime::conv2d_weight_grad(in[0], in[3], c.weight, c.params)};
            },
            {x, weight, bias, grad_output}, tolerance);
      }
    }
  }
}

TEST_CASE("cuda conv_transpose2d agrees with the cpu", "[cuda][conv]") {
  struct Case {
    Shape input, weight;  // weight [Cin, Cout, kh, kw]
    ConvParams params;
  };
  const std::vector<Case> cases = {
      {{2, 4, 5, 5}, {4, 3, 4, 4}, {.stride = 2, .padding = 1}},
      {{1, 3, 7, 6}, {3, 2, 3, 3}, {.stride = 2, .padding = 1, .output_padding = 1}},
      {{2, 2, 4, 4}, {2, 5, 1, 1}, {}},
      {{1, 2, 6, 6}, {2, 2, 3, 3}, {.stride = 1, .padding = 2, .dilation = 2}},
      {{1, 6, 5, 6}, {6, 5, 3, 3}, {.stride = 2, .padding = 1, .dilation = 2, .output_padding = 1}},
      {{2, 2, 4, 3}, {2, 3, 2, 3}, {.stride = 3, .output_padding = 2}},
  };
  for (const auto& [mode_name, mode] : conv_modes()) {
    const ModeScope scope(mode);
    INFO("DFORGE_CONV=" << mode_name);
    for (DType dtype : {DType::f32, DType::f64}) {
      for (const Case& c : cases) {
        const Tensor x = random_input(c.input, 85, dtype), weight = random_input(c.weight, 86, dtype);
        const Tensor bias = random_input({c.weight[1]}, 87, dtype);
        CHECK_DEVICES_AGREE(
            concat("conv_transpose2d ", x.describe(), " weight ", shape_str(c.weight)),
            [&](const std::vector<Tensor>& in) {
              return std::vector<Tensor>{runtime::conv_transpose2d(in[0], in[1], in[2], c.params)};
            },
            {x, weight, bias}, dtype == DType::f32 ? 1e-4 : 1e-12);
      }
    }
  }
}

// DFORGE_CONV=auto times both paths on the first call for a shape and keeps the faster: that first
// call's output must already come from the winner, so every later call repeats its bits (shapes
// used by no other test, so the first call here is the timing one).
TEST_CASE("cuda conv auto mode gives the same bits on the first and later calls", "[cuda][conv]") {
  const ModeScope scope(cuda::ConvMode::automatic);
  const Device device = testing::target_device();
  const ConvParams params{.stride = 2, .padding = 1};
  const Tensor x = random_input({3, 5, 19, 17}, 91).to(device), weight = random_input({6, 5, 3, 3}, 92).to(device);
  const Tensor bias = random_input({6}, 93).to(device);
  const Shape output = runtime::conv2d_output_shape(x.shape(), weight.shape(), params);
  const Tensor grad_output = random_input(output, 94).to(device);
  const Tensor y0 = runtime::conv2d(x, weight, bias, params), y1 = runtime::conv2d(x, weight, bias, params);
  const Tensor dx0 = runtime::conv2d_input_grad(grad_output, weight, x.shape(), params),
               dx1 = runtime::conv2d_input_grad(grad_output, weight, x.shape(), params);
  const Tensor dw0 = runtime::conv2d_weight_grad(x, grad_output, weight.shape(), params),
               dw1 = runtime::conv2d_weight_grad(x, grad_output, weight.shape(), params);
  CHECK(testing::identical_bits(y0, y1));
  CHECK(testing::identical_bits(dx0, dx1));
  CHECK(testing::identical_bits(dw0, dw1));
}
