#include "models/defectgan/config.h"

#include "models/config_fields.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

// The one list of fields: JSON writing and reading both walk it, so they cannot drift apart.
template <typename Config, typename Visit>
void visit_fields(Config& c, Visit&& visit) {
  visit("image_channels", c.image_channels);
  visit("classes", c.classes);
  visit("image_size", c.image_size);
  visit("ngf", c.ngf);
  visit("residual_blocks", c.residual_blocks);
  visit("spade_hidden", c.spade_hidden);
  visit("ndf", c.ndf);
  visit("d_layers", c.d_layers);
  visit("spatial_control", c.spatial_control);
  visit("noise_injection", c.noise_injection);
  visit("layerwise_composition", c.layerwise_composition);
  visit("spatial_constraints", c.spatial_constraints);
  visit("lambda_cls_real", c.lambda_cls_real);
  visit("lambda_cls_fake", c.lambda_cls_fake);
  visit("lambda_rec", c.lambda_rec);
  visit("lambda_sd_cyc", c.lambda_sd_cyc);
  visit("lambda_sd_con", c.lambda_sd_con);
  visit("lambda_gp", c.lambda_gp);
  visit("n_critic", c.n_critic);
  visit("lr", c.lr);
  visit("lr_end", c.lr_end);
  visit("beta1", c.beta1);
  visit("beta2", c.beta2);
  visit("batch", c.batch);
  visit("steps", c.steps);
  visit("decay_from", c.decay_from);
  visit("seed", c.seed);
  visit("resize", c.resize);
  visit("surfaces", c.surfaces);
  visit("class_names", c.class_names);
  visit("sample_every", c.sample_every);
  visit("checkpoint_every", c.checkpoint_every);
}

}  // namespace

void DefectganConfig::validate() const {
  auto positive = [](const char* field, int value) {
    DFORGE_CHECK(value >= 1, "defectgan: ", field, " must be positive, got ", value);
  };
  DFORGE_CHECK(image_channels >= 1 && image_channels <= 4, "defectgan: image_channels must be 1 to 4, got ",
               image_channels);
  positive("classes", classes);
  positive("ngf", ngf);
  positive("ndf", ndf);
  positive("spade_hidden", spade_hidden);
  positive("d_layers", d_layers);
  positive("n_critic", n_critic);
  positive("batch", batch);
  DFORGE_CHECK(residual_blocks >= 0, "defectgan: residual_blocks must be >= 0, got ", residual_blocks);
  // The class head's kernel is image_size / 2^d_layers (StarGAN's img/64): it must be a whole pixel.
  DFORGE_CHECK(image_size >= 4 && d_layers < 31 && image_size % (1 << d_layers) == 0,
               "defectgan: image_size must be a multiple of 2^d_layers = ", d_layers < 31 ? (1 << d_layers) : 0,
               ", got ", image_size);
  DFORGE_CHECK(!spatial_constraints || layerwise_composition,
               "defectgan: spatial_constraints needs layerwise_composition (the constraints act on its maps), got "
               "spatial_constraints true with layerwise_composition false");
  const std::pair<const char*, double> weights[] = {
      {"lambda_cls_real", lambda_cls_real}, {"lambda_cls_fake", lambda_cls_fake}, {"lambda_rec", lambda_rec},
      {"lambda_sd_cyc", lambda_sd_cyc},     {"lambda_sd_con", lambda_sd_con},     {"lambda_gp", lambda_gp}};
  for (const auto& [field, value] : weights)
    DFORGE_CHECK(value >= 0.0, "defectgan: ", field, " must be >= 0, got ", value);
  DFORGE_CHECK(lr > 0.0, "defectgan: lr must be positive, got ", lr);
  DFORGE_CHECK(lr_end >= 0.0 && lr_end <= lr, "defectgan: lr_end must be in [0, lr = ", lr, "], got ", lr_end);
  DFORGE_CHECK(steps >= 1, "defectgan: steps must be positive, got ", steps);
  DFORGE_CHECK(decay_from >= 0.0 && decay_from <= 1.0, "defectgan: decay_from must be in [0, 1], got ", decay_from);
  DFORGE_CHECK(resize >= 0, "defectgan: resize must be >= 0 (0: as stored), got ", resize);
  DFORGE_CHECK(resize == 0 || resize >= image_size, "defectgan: resize ", resize,
               " is smaller than the image_size ", image_size, " crops");
  DFORGE_CHECK(sample_every >= 0 && checkpoint_every >= 0,
               "defectgan: sample_every and checkpoint_every must be >= 0, got ", sample_every, " and ",
               checkpoint_every);
  DFORGE_CHECK(class_names.empty() || int(class_names.size()) == classes, "defectgan: ", class_names.size(),
               " class_names for ", classes, " classes");
  DFORGE_CHECK(beta1 >= 0.0 && beta1 < 1.0, "defectgan: beta1 must be in [0, 1), got ", beta1);
  DFORGE_CHECK(beta2 >= 0.0 && beta2 < 1.0, "defectgan: beta2 must be in [0, 1), got ", beta2);
}

int DefectganConfig::class_of(const std::string& name) const {
  for (size_t k = 0; k < class_names.size(); ++k)
    if (class_names[k] == name) return int(k);
  std::string known;
  for (const std::string& kind : class_names) {
    if (!known.empty()) known += ", ";
    known += kind;
  }
  throw Error(concat("defectgan: no defect kind '", name, "' in this model (it knows: ",
                     known.empty() ? "none named" : known, ")"));
}

// Passes visit_fields on to config_fields.h's readers and writers.
constexpr auto kFields = [](auto& config, auto&& visit) { visit_fields(config, visit); };

nlohmann::json to_json(const DefectganConfig& config) { return config_to_json(config, kFields); }

DefectganConfig defectgan_config_from_json(const nlohmann::json& json) {
  return config_from_json<DefectganConfig>(json, "defectgan config", kFields);
}

}  // namespace dforge::models
