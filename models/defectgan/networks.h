// The two networks of Defect-GAN (paper 003, Sec. 3.1, Fig. 2).
//
// G, one generator for both directions (defacement n -> d and restoration d -> n), an
// encoder-decoder of stride 4 [P]. [I] marks choices the paper leaves open (docs/models/defectgan.md):
//   encoder  Conv7x7 (C -> ngf), Conv4x4 s2 (-> 2 ngf), Conv4x4 s2 (-> 4 ngf), each followed by
//            instance norm (affine) and ReLU [I, StarGAN's encoder];
//   bias     none on convs that a norm follows (all but the output conv), as StarGAN [R];
//   decoder  residual_blocks residual blocks at 1/4 resolution, 2 up blocks (ConvT4x4 s2: 2 ngf, ngf)
//            and an output conv (Conv7x7 -> C + 1), every conv preceded by norm + ReLU where the norm
//            is SPADE on the control map A ("A ... is fed into every block in the decoder") [P, I];
//   noise    x + w * N(0, 1) after each conv block but the output conv, one learned scale per
//            channel, 0 at the start [P, I];
//   output   foreground f = tanh(first C channels), spatial distribution map m = sigmoid(last
//            channel) [I]; the trainer composes image = x (1 - m) + f m (eq. 2, 4).
// With spatial_control off the label map is concatenated to the input instead (StarGAN) and the
// decoder uses affine instance norm; with layerwise_composition off the output is a tanh image.
//
// D, StarGAN's discriminator [P, R yunjey/stargan]: main = d_layers x (Conv4x4 s2 p1, LeakyReLU
// 0.01), channels ndf, 2 ndf, ...; conv1 = Conv3x3 -> 1 (the PatchGAN source critic D_src),
// conv2 = Conv with kernel image_size / 2^d_layers -> K class logits (D_cls); both without bias.
#pragma once

#include <memory>
#include <vector>

#include "layers/conv.h"
#include "layers/module.h"
#include "layers/noise_injection.h"
#include "layers/sequential.h"
#include "models/defectgan/config.h"
#include "models/defectgan/randomness.h"

namespace dforge::models {

// A conv block with its norm and optional noise injection; `norm` is SPADE (control map) or
// instance norm. Names: norm.*, conv.*, noise.weight.
class DefectganBlock : public Module {
 public:
  // stem: Conv7x7; down: Conv4x4 s2; decoder: Conv3x3; up: ConvT4x4 s2; output: Conv7x7, no noise.
  enum class Kind { stem, down, decoder, up, output };
  DefectganBlock(Kind kind, int in_channels, int out_channels, const DefectganConfig& config, Generator& generator);
  // stem, down: noise(relu(norm(conv(x)))); decoder, up, output: noise(conv(relu(norm(x, control)))).
  Variable forward(const Variable& x, const Variable& control, StepRandomness& random);

 private:
  Kind kind_;
  std::shared_ptr<Module> norm_, conv_;
  std::shared_ptr<NoiseInjection> noise_;
};

// Two decoder blocks and an identity skip: x + block2(block1(x)). Names: block1.*, block2.*.
class DefectganResidualBlock : public Module {
 public:
  DefectganResidualBlock(int channels, const DefectganConfig& config, Generator& generator);
  Variable forward(const Variable& x, const Variable& control, StepRandomness& random);

 private:
  std::shared_ptr<DefectganBlock> block1_, block2_;
};

// G's raw outputs. `map` is undefined without layer-wise composition (then `foreground` is the image).
struct GeneratorOutput {
  Variable foreground, map;
};

class DefectganGenerator : public Module {
 public:
  DefectganGenerator(const DefectganConfig& config, Generator& generator);
  // x [N, C, H, W] in [-1, 1], control [N, K, H, W] (any H, W with SPADE); noise from `random`.
  GeneratorOutput forward(const Variable& x, const Variable& control, StepRandomness& random);

 private:
  DefectganConfig config_;
  std::vector<std::shared_ptr<DefectganBlock>> encoder_, up_;
  std::vector<std::shared_ptr<DefectganResidualBlock>> residual_;
  std::shared_ptr<DefectganBlock> output_;
};

struct CriticOutput {
  Variable source;  // [N, 1, H / 2^L, W / 2^L]: D_src, higher = more real (WGAN critic)
  Variable classes;  // [N, K] logits: D_cls
};

class DefectganDiscriminator : public Module {
 public:
  DefectganDiscriminator(const DefectganConfig& config, Generator& generator);
  CriticOutput forward_both(const Variable& x);
  Variable forward(const Variable& x) override { return forward_both(x).source; }

  std::shared_ptr<Sequential> main;
  std::shared_ptr<Conv2d> conv1, conv2;
};

// Layer-wise composition (eq. 2, 4): background (1 - map) + foreground map.
Variable compose_layers(const Variable& background, const Variable& foreground, const Variable& map);

// The spatial and categorical control map: labels [N, K] repeated to [N, K, height, width] (Sec. 3.1:
// "A is acquired by spatial-wisely repeating the target defect label c").
Tensor control_map(const Tensor& labels, int64_t height, int64_t width);

}  // namespace dforge::models
