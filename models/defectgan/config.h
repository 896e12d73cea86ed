// DefectganConfig: every setting of a defectgan run (paper 003; MODELS.md "defectgan";
// docs/models/defectgan.md). Written into each checkpoint's metadata as JSON, like SegganConfig.
// Defaults are the paper's (Sec. 3.1 eq. 11-12, Sec. 4.1); the four switches are the components of
// its ablation (Table 2), all on by default.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dforge::models {

struct DefectganConfig {
  // Data
  int image_channels = 3;   // C of the images n and d
  int classes = 5;          // defect categories K (multi-label; a normal image has no label set)
  int image_size = 128;     // training images are image_size x image_size (Sec. 4.1: 128)

  // Generator (encoder-decoder, stride 4)
  int ngf = 64;             // width of the first encoder block; 2 ngf and 4 ngf after each downsampling
  int residual_blocks = 6;  // SPADE residual blocks at 1/4 resolution [I] (StarGAN's 6)
  int spade_hidden = 128;   // SPADE's shared conv width (NVlabs/SPADE)
  // Discriminator (StarGAN's): d_layers x Conv4x4 s2, ndf doubling per layer (64 -> 2048 for 6 layers)
  int ndf = 64;
  int d_layers = 6;

  // Ablation switches (Table 2). Off, each falls back to what StarGAN does.
  bool spatial_control = true;        // SCC: control map through SPADE in every decoder block; off: the
                                      // label map concatenated to the input, instance norm in the decoder
  bool noise_injection = true;        // ANI: learned-scale Gaussian noise after each conv block
  bool layerwise_composition = true;  // LWC: output (f, m), image = x (1 - m) + f m (eq. 2, 4); off: tanh image
  bool spatial_constraints = true;    // SC: the sd-cyc (eq. 9) and sd-con (eq. 10) losses; needs LWC

  // Loss weights (eq. 11-12; Sec. 3.1: 2.0, 5.0, 5.0, 5.0, 1.0; WGAN-GP weight 10 as StarGAN)
  double lambda_cls_real = 2.0;
  double lambda_cls_fake = 5.0;
  double lambda_rec = 5.0;
  double lambda_sd_cyc = 5.0;
  double lambda_sd_con = 1.0;
  double lambda_gp = 10.0;
  int n_critic = 5;  // one generator update every n_critic discriminator updates (Sec. 4.1)

  // Optimisation (Sec. 4.1): Adam, lr 2e-4 reduced to 1e-6 (linearly after decay_from of the
  // steps [I]: the paper gives only the two ends), batch 4. The paper runs 500,000 iterations.
  double lr = 2e-4;
  double lr_end = 1e-6;
  double beta1 = 0.5, beta2 = 0.999;
  int batch = 4;
  int64_t steps = 2000;
  double decay_from = 0.5;  // fraction of the steps after which the lr falls linearly to lr_end
  uint64_t seed = 0;

  // Data: crops of image_size from images resized to `resize` (0: as stored); normal crops
  // anywhere, defective crops centred on a pixel of the defect, as seggan's [I].
  int resize = 0;
  std::vector<std::string> surfaces;     // products to train on; empty: all
  std::vector<std::string> class_names;  // the defect kind of each class (set from the data)

  // Bookkeeping
  int64_t sample_every = 200;
  int64_t checkpoint_every = 500;

  void validate() const;  // throws one line naming the bad field and its value
  // The class of defect kind `name`; throws naming the known kinds when it is not one of them.
  int class_of(const std::string& name) const;
};

nlohmann::json to_json(const DefectganConfig& config);
// Missing keys keep their defaults; unknown keys are an error (a typo must not pass silently).
DefectganConfig defectgan_config_from_json(const nlohmann::json& json);

}  // namespace dforge::models
