#include "layers/conv.h"

#include <cmath>

#include "autograd/matmul.h"
#include "layers/init.h"
#include "runtime/error.h"

namespace dforge {

namespace {
// PyTorch's reset_parameters for conv and linear layers.
void default_init(const Variable& weight, const Variable& bias, Generator& generator) {
  init::kaiming_uniform(weight, std::sqrt(5.0), generator);
  if (bias.defined()) {
    const double bound = 1.0 / std::sqrt(double(init::fan_in(weight.shape())));
    init::uniform(bias, -bound, bound, generator);
  }
}
}  // namespace

void WeightedLayer::apply_spectral_norm(Generator& generator) {
  DFORGE_CHECK(!spectral_norm_, type_name(), ": spectral norm applied twice");
  const int dim = spectral_norm_dim();
  const Shape& shape = weight.shape();
  rename_parameter("weight", "weight_orig");
  Variable u = register_buffer("weight_u", SpectralNorm::random_unit_vector(SpectralNorm::rows(shape, dim),
                                                                             weight.dtype(), generator));
  Variable v = register_buffer("weight_v", SpectralNorm::random_unit_vector(SpectralNorm::columns(shape, dim),
                                                                             weight.dtype(), generator));
  spectral_norm_ = std::make_unique<SpectralNorm>(weight, u, v, dim);
}

Variable WeightedLayer::effective_weight() {
  return spectral_norm_ ? spectral_norm_->normalized_weight(is_training()) : weight;
}

void WeightedLayer::create_parameters(const Shape& weight_shape, int64_t bias_size, Generator& generator) {
  for (int64_t size : weight_shape) {
    DFORGE_CHECK(size > 0, type_name(), ": sizes must be positive, got weight shape ", shape_str(weight_shape));
  }
  weight = register_parameter("weight", Tensor::empty(weight_shape));
  if (bias_size > 0) bias = register_parameter("bias", Tensor::empty({bias_size}));
  default_init(weight, bias, generator);
}

Conv2d::Conv2d(int in_channels, int out_channels, int kernel_size, Conv2dOptions options, Generator& generator)
    : options_(options) {
  create_parameters({out_channels, in_channels, kernel_size, kernel_size}, options.bias ? out_channels : 0, generator);
}

Variable Conv2d::forward(const Variable& input) {
  ConvParams params{options_.stride, options_.padding, options_.dilation, 0};
  Variable x = input;
  if (options_.padding_mode != PadMode::zeros && options_.padding > 0) {
    const int p = options_.padding;
    x = pad2d(x, p, p, p, p, options_.padding_mode);
    params.padding = 0;
  }
  return conv2d(x, effective_weight(), bias, params);
}

ConvTranspose2d::ConvTranspose2d(int in_channels, int out_channels, int kernel_size, ConvTranspose2dOptions options,
                                 Generator& generator)
    : options_(options) {
  create_parameters({in_channels, out_channels, kernel_size, kernel_size}, options.bias ? out_channels : 0, generator);
}

Variable ConvTranspose2d::forward(const Variable& input) {
  ConvParams params{options_.stride, options_.padding, options_.dilation, options_.output_padding};
  return conv_transpose2d(input, effective_weight(), bias, params);
}

Linear::Linear(int in_features, int out_features, bool with_bias, Generator& generator) {
  create_parameters({out_features, in_features}, with_bias ? out_features : 0, generator);
}

Variable Linear::forward(const Variable& input) { return linear(input, effective_weight(), bias); }

}  // namespace dforge
