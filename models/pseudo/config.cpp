#include "models/pseudo/config.h"

#include "models/nets/norm_kind.h"
#include "models/config_fields.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

// The one list of fields, walked by both JSON directions.
template <typename Config, typename Visit>
void visit_fields(Config& c, Visit&& visit) {
  visit("image_channels", c.image_channels);
  visit("ngf", c.ngf);
  visit("unet_downs", c.unet_downs);
  visit("norm", c.norm);
  visit("dice_weight", c.dice_weight);
  visit("lr", c.lr);
  visit("beta1", c.beta1);
  visit("beta2", c.beta2);
  visit("steps", c.steps);
  visit("batch", c.batch);
  visit("resize", c.resize);
  visit("crop", c.crop);
  visit("surfaces", c.surfaces);
  visit("seed", c.seed);
  visit("defect_probability", c.defect_probability);
  visit("min_defects", c.min_defects);
  visit("max_defects", c.max_defects);
  visit("min_size", c.min_size);
  visit("max_size", c.max_size);
  visit("noise_std", c.noise_std);
  visit("image_colours", c.image_colours);
  visit("sample_every", c.sample_every);
  visit("checkpoint_every", c.checkpoint_every);
}

}  // namespace

pseudo::PseudoOptions PseudoConfig::pseudo_options() const {
  pseudo::PseudoOptions options;
  options.min_count = min_defects;
  options.max_count = max_defects;
  options.min_size = min_size;
  options.max_size = max_size;
  options.noise_std = noise_std;
  if (image_colours) options.colours.push_back(pseudo::BaseColour::image);
  return options;
}

void PseudoConfig::validate() const {
  DFORGE_CHECK(image_channels >= 1 && image_channels <= 4, "pseudo: image_channels must be 1 to 4, got ",
               image_channels);
  DFORGE_CHECK(ngf > 0, "pseudo: ngf must be positive, got ", ngf);
  parse_norm_kind(norm);
  DFORGE_CHECK(dice_weight >= 0, "pseudo: dice_weight must be >= 0, got ", dice_weight);
  DFORGE_CHECK(lr > 0, "pseudo: lr must be positive, got ", lr);
  DFORGE_CHECK(steps >= 1 && batch >= 1, "pseudo: steps and batch must be positive, got ", steps, " and ", batch);
  DFORGE_CHECK(unet_downs >= 2 && crop % (1 << unet_downs) == 0, "pseudo: a U-Net with ", unet_downs,
               " levels needs a crop divisible by ", (1 << std::max(unet_downs, 0)), ", got ", crop);
  DFORGE_CHECK(resize == 0 || resize >= crop, "pseudo: resize (", resize, ") must be 0 or at least the crop (", crop,
               ")");
  DFORGE_CHECK(defect_probability >= 0 && defect_probability <= 1, "pseudo: defect_probability must be in [0, 1], got ",
               defect_probability);
  DFORGE_CHECK(sample_every >= 0 && checkpoint_every >= 0, "pseudo: sample_every and checkpoint_every must be >= 0");
  pseudo_options().validate();
}

// Passes visit_fields on to config_fields.h's readers and writers.
constexpr auto kFields = [](auto& config, auto&& visit) { visit_fields(config, visit); };

nlohmann::json to_json(const PseudoConfig& config) { return config_to_json(config, kFields); }

PseudoConfig pseudo_config_from_json(const nlohmann::json& json) {
  return config_from_json<PseudoConfig>(json, "pseudo config", kFields);
}

}  // namespace dforge::models
