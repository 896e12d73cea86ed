// SegganConfig: every setting of a seggan run (paper 000; MODELS.md "seggan"). It travels with the
// run: written into each checkpoint's metadata as JSON, so `synth` rebuilds the networks and
// `--resume` refuses a checkpoint made with a different architecture.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dforge::models {

struct SegganConfig {
  // Networks
  std::string generator = "unet";  // "unet" or "resnet"
  int image_channels = 4;          // C: RGB + backlight luminance; G_y takes C + 1 (the mask)
  int ngf = 64;                    // generator width
  int ndf = 64;                    // discriminator width
  int unet_downs = 0;              // 0: log2(crop), so the bottleneck is 1x1 as in the reference
  int resnet_blocks = 9;
  int d_layers = 2;                // PatchGAN n_layers: 2 is paper 000's 34-pixel patch
  bool spectral_norm = true;       // on both discriminators

  // Losses (paper 000 eq. 3-5; cycle and identity weights as in CycleGAN, see docs/models/seggan.md)
  double lambda_clip = 0.0;        // D_y patch weight w = max(lambda_clip, mask fraction)
  double lambda_cycle = 10.0;
  double lambda_identity = 0.5;    // times lambda_cycle, as in the reference implementation

  // Optimisation: RAdam for each of the four networks; lr constant, then linear to 0
  double lr = 2e-4;
  double beta1 = 0.5, beta2 = 0.999;
  int64_t steps = 1000;
  double decay_from = 0.5;         // fraction of the steps after which the lr decays linearly
  int batch = 1;
  int pool_size = 50;

  // Data
  int resize = 0;                  // side the images are resized to before cropping; 0: as stored
  int crop = 256;
  std::vector<std::string> surfaces;  // products to train on; empty: all
  uint64_t seed = 0;

  // Bookkeeping
  int64_t sample_every = 200;
  int64_t checkpoint_every = 500;

  int unet_depth() const;         // unet_downs, or log2(crop) when 0
  void validate() const;          // throws naming the bad value
};

nlohmann::json to_json(const SegganConfig& config);
// Missing keys keep their defaults; unknown keys are an error (a typo must not pass silently).
SegganConfig seggan_config_from_json(const nlohmann::json& json);

}  // namespace dforge::models
