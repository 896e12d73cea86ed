// InspectConfig's JSON (apps/inspect/inspect_config.h): every field round-trips, missing keys keep
// their defaults, and an unknown key or a wrongly typed value is refused by name.
#include <catch2/catch.hpp>

#include "apps/inspect/inspect_config.h"
#include "runtime/error.h"

using namespace dforge::apps;
using Catch::Matchers::Contains;

TEST_CASE("InspectConfig round-trips through JSON and refuses unknown keys", "[inspect][apps]") {
  InspectConfig config;
  config.kind = "autoencoder";
  config.channels = 4;
  config.depth = 34;
  config.width = 16;
  config.source_head = true;
  config.loss = "l1";
  config.norm = "instance";
  config.size = 96;
  config.steps = 7;
  config.lr = 0.25;
  config.seed = 11;
  config.validate_every = 3;
  const nlohmann::json json = to_json(config);
  CHECK(json.size() == 19);
  CHECK(to_json(inspect_config_from_json(json)) == json);
  CHECK(inspect_config_from_json(json).validate_every == 3);

  const InspectConfig defaults = inspect_config_from_json(nlohmann::json::object());
  CHECK(to_json(defaults) == to_json(InspectConfig{}));

  nlohmann::json typo = json;
  typo["validate_evry"] = 5;
  CHECK_THROWS_WITH(inspect_config_from_json(typo), Contains("unknown key 'validate_evry'"));
  nlohmann::json wrong = json;
  wrong["steps"] = "many";
  CHECK_THROWS_WITH(inspect_config_from_json(wrong), Contains("'steps' has the wrong type"));
}
