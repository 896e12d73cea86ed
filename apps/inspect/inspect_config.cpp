#include "apps/inspect/inspect_config.h"

#include "models/nets/norm_kind.h"
#include "runtime/error.h"

namespace dforge::apps {

void InspectConfig::validate() const {
  DFORGE_CHECK(size > 0 && size % 32 == 0, "inspect: --size ", size, " must be a positive multiple of 32 (the "
               "ResNet's stride)");
  DFORGE_CHECK(batch >= 2, "inspect: --batch ", batch, " must be at least 2 (batch norm)");
  DFORGE_CHECK(steps > 0, "inspect: --steps ", steps, " must be positive");
  DFORGE_CHECK(lr > 0, "inspect: --lr ", lr, " must be positive");
  DFORGE_CHECK(depth == 18 || depth == 34 || depth == 50, "inspect: --depth ", depth, " must be 18, 34 or 50");
  DFORGE_CHECK(width >= 2 && width % 2 == 0, "inspect: --width ", width, " must be even and at least 2");
  DFORGE_CHECK(loss == "l2" || loss == "l1", "inspect: --loss ", loss, " must be l2 or l1");
  DFORGE_CHECK(ngf >= 1, "inspect: --ngf ", ngf, " must be positive");
  DFORGE_CHECK(unet_downs >= 1 && size % (1 << unet_downs) == 0, "inspect: --unet-downs ", unet_downs,
               " must be at least 1 with --size ", size, " a multiple of 2^unet_downs");
  models::parse_norm_kind(norm);
  DFORGE_CHECK(validate_every > 0, "inspect: --validate-every ", validate_every, " must be positive");
  DFORGE_CHECK(dice_weight >= 0, "inspect: --dice-weight ", dice_weight, " must not be negative");
}

nlohmann::json to_json(const InspectConfig& c) {
  return {{"kind", c.kind},     {"channels", c.channels},       {"depth", c.depth}, {"width", c.width},
          {"source_head", c.source_head}, {"grl_lambda", c.grl_lambda}, {"source_weight", c.source_weight},
          {"loss", c.loss},     {"ngf", c.ngf},                 {"unet_downs", c.unet_downs},
          {"norm", c.norm},     {"dice_weight", c.dice_weight}, {"size", c.size},               {"batch", c.batch},
          {"steps", c.steps},   {"lr", c.lr},                   {"seed", c.seed},
          {"checkpoint_every", c.checkpoint_every}, {"validate_every", c.validate_every}};
}

InspectConfig inspect_config_from_json(const nlohmann::json& json) {
  InspectConfig c;
  c.kind = json.value("kind", c.kind);
  c.channels = json.value("channels", c.channels);
  c.depth = json.value("depth", c.depth);
  c.width = json.value("width", c.width);
  c.source_head = json.value("source_head", c.source_head);
  c.grl_lambda = json.value("grl_lambda", c.grl_lambda);
  c.source_weight = json.value("source_weight", c.source_weight);
  c.loss = json.value("loss", c.loss);
  c.ngf = json.value("ngf", c.ngf);
  c.unet_downs = json.value("unet_downs", c.unet_downs);
  c.norm = json.value("norm", c.norm);
  c.dice_weight = json.value("dice_weight", c.dice_weight);
  c.size = json.value("size", c.size);
  c.batch = json.value("batch", c.batch);
  c.steps = json.value("steps", c.steps);
  c.lr = json.value("lr", c.lr);
  c.seed = json.value("seed", c.seed);
  c.checkpoint_every = json.value("checkpoint_every", c.checkpoint_every);
  c.validate_every = json.value("validate_every", c.validate_every);
  return c;
}

}  // namespace dforge::apps
