// The PatchGAN discriminator of pix2pix / CycleGAN (junyanz/pytorch-CycleGAN-and-pix2pix,
// NLayerDiscriminator), kernel 4 and padding 1 throughout, with the reference's indices:
//   model.0, 1                 Conv s2 (-> ndf, bias), LeakyReLU 0.2
//   for n = 1 .. n_layers-1    Conv s2 (-> ndf * min(2^n, 8)), norm, LeakyReLU 0.2
//   then                       Conv s1 (-> ndf * min(2^n_layers, 8)), norm, LeakyReLU 0.2
//   model.<3 n_layers + 2>     Conv s1 (-> 1, bias)
// With spectral_norm every conv is spectrally normalised (weight_orig, weight_u, weight_v).
// Output: one logit per patch, [N, 1, h, w]; no sigmoid (LSGAN / WGAN losses take it raw).
#pragma once

#include <memory>

#include "layers/module.h"
#include "models/nets/norm_kind.h"
#include "runtime/random.h"

namespace dforge::models {

struct PatchGanOptions {
  int in_channels = 3;
  int ndf = 64;
  int n_layers = 3;  // receptive field 70 px; 2 -> 34 px (paper 000's "36"), 1 -> 16 px
  NormKind norm = NormKind::instance;
  bool spectral_norm = false;
};

class PatchGanDiscriminator : public Module {
 public:
  // Weights get CycleGAN's init (init_cyclegan_weights) from `generator`, then spectral norm (if on)
  // draws its u and v from it.
  PatchGanDiscriminator(const PatchGanOptions& options, Generator& generator);
  // [N, in_channels, H, W] -> [N, 1, h, w], h = patchgan_output_size(H, n_layers).
  Variable forward(const Variable& input) override;
  const PatchGanOptions& options() const { return options_; }

 protected:
  std::string type_name() const override { return "PatchGanDiscriminator"; }

 private:
  PatchGanOptions options_;
  std::shared_ptr<Module> model_;
};

// The input window of output pixel (i, j): rows [offset + i * stride, offset + i * stride + size),
// likewise columns. For n_layers 2: 34 pixels, stride 4, from -11 (the convs' zero padding).
struct PatchWindow {
  int size = 1;
  int stride = 1;
  int offset = 0;  // negative: the window starts in the padding
};
PatchWindow patchgan_window(int n_layers);
// The side of the input square one output logit sees (1 -> 16, 2 -> 34, 3 -> 70): the window's size.
int patchgan_receptive_field(int n_layers);
// The output side for an input side (62 for 256 at n_layers 2); throws when the input is too small.
int patchgan_output_size(int input_size, int n_layers);

// The options a state dict was saved with: in_channels and ndf from model.0, n_layers from the
// index of the last conv, spectral norm from `weight_orig`, norm from model.3 (running_mean ->
// batch) or model.2's bias (-> instance, else none). Throws naming the missing or mis-shaped tensor.
PatchGanOptions infer_patchgan_options(const NamedTensors& weights);

}  // namespace dforge::models
