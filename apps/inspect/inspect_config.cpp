#include "apps/inspect/inspect_config.h"

#include "models/config_fields.h"
#include "models/nets/norm_kind.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

// Every field, once: the JSON writer and the (strict) reader both walk this list.
template <typename Config, typename Visit>
void visit_fields(Config& c, Visit&& visit) {
  visit("kind", c.kind);
  visit("channels", c.channels);
  visit("depth", c.depth);
  visit("width", c.width);
  visit("source_head", c.source_head);
  visit("grl_lambda", c.grl_lambda);
  visit("source_weight", c.source_weight);
  visit("loss", c.loss);
  visit("ngf", c.ngf);
  visit("unet_downs", c.unet_downs);
  visit("norm", c.norm);
  visit("dice_weight", c.dice_weight);
  visit("size", c.size);
  visit("batch", c.batch);
  visit("steps", c.steps);
  visit("lr", c.lr);
  visit("seed", c.seed);
  visit("checkpoint_every", c.checkpoint_every);
  visit("validate_every", c.validate_every);
}

constexpr auto kFields = [](auto& config, auto&& visit) { visit_fields(config, visit); };

}  // namespace

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

nlohmann::json to_json(const InspectConfig& config) { return models::config_to_json(config, kFields); }

InspectConfig inspect_config_from_json(const nlohmann::json& json) {
  return models::config_from_json<InspectConfig>(json, "inspect config", kFields);
}

}  // namespace dforge::apps
