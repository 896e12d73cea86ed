// Conv2d and ConvTranspose2d layers with PyTorch's parameter names, shapes, default
// initialisation (kaiming_uniform with a = sqrt(5); bias U(-1/sqrt(fan_in), 1/sqrt(fan_in))),
// padding modes (reflect and replicate pad first, then convolve with no padding, as PyTorch
// does) and optional spectral normalisation.
#pragma once

#include <memory>

#include "autograd/conv.h"
#include "autograd/pad.h"
#include "layers/module.h"
#include "layers/spectral_norm.h"

namespace dforge {

struct Conv2dOptions {
  int stride = 1, padding = 0, dilation = 1;
  bool bias = true;
  PadMode padding_mode = PadMode::zeros;
};

// A layer whose weight may be spectrally normalised.
class WeightedLayer : public Module {
 public:
  // Renames "weight" to "weight_orig", adds buffers weight_u, weight_v (torch semantics).
  void apply_spectral_norm(Generator& generator);
  bool spectral_normalized() const { return spectral_norm_ != nullptr; }
  // The weight the layer computes with: W, or W / sigma under spectral norm.
  Variable effective_weight();

  Variable weight, bias;  // weight is weight_orig under spectral norm; bias may be undefined

 protected:
  virtual int spectral_norm_dim() const { return 0; }
  // Registers "weight" of `weight_shape` and, when `bias_size` > 0, "bias" of [bias_size], both
  // initialised as PyTorch does; throws naming the layer when a size is not positive.
  void create_parameters(const Shape& weight_shape, int64_t bias_size, Generator& generator);

 private:
  std::unique_ptr<SpectralNorm> spectral_norm_;
};

class Conv2d : public WeightedLayer {
 public:
  Conv2d(int in_channels, int out_channels, int kernel_size, Conv2dOptions options, Generator& generator);
  Variable forward(const Variable& input) override;

  const Conv2dOptions& options() const { return options_; }

 protected:
  std::string type_name() const override { return "Conv2d"; }

 private:
  Conv2dOptions options_;
};

struct ConvTranspose2dOptions {
  int stride = 1, padding = 0, output_padding = 0, dilation = 1;
  bool bias = true;
};

class ConvTranspose2d : public WeightedLayer {
 public:
  ConvTranspose2d(int in_channels, int out_channels, int kernel_size, ConvTranspose2dOptions options,
                  Generator& generator);
  Variable forward(const Variable& input) override;

 protected:
  std::string type_name() const override { return "ConvTranspose2d"; }
  int spectral_norm_dim() const override { return 1; }

 private:
  ConvTranspose2dOptions options_;
};

class Linear : public WeightedLayer {
 public:
  Linear(int in_features, int out_features, bool bias, Generator& generator);
  Variable forward(const Variable& input) override;  // [N, in] -> [N, out]

 protected:
  std::string type_name() const override { return "Linear"; }
};

}  // namespace dforge
