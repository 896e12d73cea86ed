#include "models/seggan/config.h"

#include <bit>

#include "models/config_fields.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

// The one list of fields: JSON writing and reading both walk it, so they cannot drift apart.
template <typename Config, typename Visit>
void visit_fields(Config& c, Visit&& visit) {
  visit("generator", c.generator);
  visit("image_channels", c.image_channels);
  visit("ngf", c.ngf);
  visit("ndf", c.ndf);
  visit("unet_downs", c.unet_downs);
  visit("resnet_blocks", c.resnet_blocks);
  visit("d_layers", c.d_layers);
  visit("spectral_norm", c.spectral_norm);
  visit("lambda_clip", c.lambda_clip);
  visit("lambda_cycle", c.lambda_cycle);
  visit("lambda_identity", c.lambda_identity);
  visit("lr", c.lr);
  visit("beta1", c.beta1);
  visit("beta2", c.beta2);
  visit("steps", c.steps);
  visit("decay_from", c.decay_from);
  visit("batch", c.batch);
  visit("pool_size", c.pool_size);
  visit("resize", c.resize);
  visit("crop", c.crop);
  visit("surfaces", c.surfaces);
  visit("seed", c.seed);
  visit("sample_every", c.sample_every);
  visit("checkpoint_every", c.checkpoint_every);
}

}  // namespace

int SegganConfig::unet_depth() const {
  return unet_downs > 0 ? unet_downs : std::bit_width(unsigned(crop)) - 1;
}

void SegganConfig::validate() const {
  DFORGE_CHECK(generator == "unet" || generator == "resnet",
               "seggan: generator must be 'unet' or 'resnet', got '", generator, "'");
  DFORGE_CHECK(image_channels >= 1 && image_channels <= 4,
               "seggan: image_channels must be 1 to 4, got ", image_channels);
  DFORGE_CHECK(ngf > 0 && ndf > 0, "seggan: ngf and ndf must be positive, got ", ngf, " and ", ndf);
  DFORGE_CHECK(d_layers >= 1 && d_layers <= 5, "seggan: d_layers must be 1 to 5, got ", d_layers);
  DFORGE_CHECK(resnet_blocks >= 1, "seggan: resnet_blocks must be positive, got ", resnet_blocks);
  DFORGE_CHECK(lambda_clip >= 0.0 && lambda_clip <= 1.0, "seggan: lambda_clip must be in [0, 1], got ",
               lambda_clip);
  DFORGE_CHECK(lambda_cycle >= 0.0 && lambda_identity >= 0.0,
               "seggan: lambda_cycle and lambda_identity must be >= 0");
  DFORGE_CHECK(lr > 0.0, "seggan: lr must be positive, got ", lr);
  DFORGE_CHECK(steps >= 1, "seggan: steps must be positive, got ", steps);
  DFORGE_CHECK(decay_from >= 0.0 && decay_from <= 1.0, "seggan: decay_from must be in [0, 1], got ",
               decay_from);
  DFORGE_CHECK(batch >= 1, "seggan: batch must be positive, got ", batch);
  DFORGE_CHECK(pool_size >= 0, "seggan: pool_size must be >= 0, got ", pool_size);
  DFORGE_CHECK(crop >= 16, "seggan: crop must be at least 16, got ", crop);
  DFORGE_CHECK(resize == 0 || resize >= crop, "seggan: resize (", resize, ") must be 0 or at least the crop (",
               crop, ")");
  if (generator == "unet") {
    int depth = unet_depth();
    DFORGE_CHECK(depth >= 2 && crop % (1 << depth) == 0, "seggan: a U-Net with ", depth,
                 " levels needs a crop divisible by ", (1 << depth), ", got ", crop);
  } else {
    DFORGE_CHECK(crop % 4 == 0, "seggan: the ResNet generator needs a crop divisible by 4, got ", crop);
  }
  DFORGE_CHECK(sample_every >= 0 && checkpoint_every >= 0,
               "seggan: sample_every and checkpoint_every must be >= 0 (0: never)");
}

// Passes visit_fields on to config_fields.h's readers and writers.
constexpr auto kFields = [](auto& config, auto&& visit) { visit_fields(config, visit); };

nlohmann::json to_json(const SegganConfig& config) { return config_to_json(config, kFields); }

SegganConfig seggan_config_from_json(const nlohmann::json& json) {
  return config_from_json<SegganConfig>(json, "seggan config", kFields);
}

}  // namespace dforge::models
