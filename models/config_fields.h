// JSON for a model's config struct, from one list of its fields. A config names its fields once,
// in a `visit_fields(config, visit)` that calls visit("key", config.field) for each; both JSON
// directions walk that list, so they cannot drift apart. Reading is strict: a missing key keeps
// its default, an unknown key (a typo) or a value of the wrong type is an error naming the key.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "runtime/error.h"

namespace dforge::models {

// `visit_fields(config, visit)` for a config of type Config (const or not).
template <typename Config, typename VisitFields>
nlohmann::json config_to_json(const Config& config, VisitFields&& visit_fields) {
  nlohmann::json json = nlohmann::json::object();
  visit_fields(config, [&](const char* key, const auto& value) { json[key] = value; });
  return json;
}

// `what` starts every message ("seggan config").
template <typename Config, typename VisitFields>
Config config_from_json(const nlohmann::json& json, const std::string& what, VisitFields&& visit_fields) {
  DFORGE_CHECK(json.is_object(), what, ": expected a JSON object, got ", json.dump());
  Config config;
  const nlohmann::json known = config_to_json(config, visit_fields);
  for (const auto& [key, value] : json.items()) DFORGE_CHECK(known.contains(key), what, ": unknown key '", key, "'");
  visit_fields(config, [&](const char* key, auto& value) {
    if (!json.contains(key)) return;
    try {
      json.at(key).get_to(value);
    } catch (const nlohmann::json::exception&) {
      throw Error(concat(what, ": '", key, "' has the wrong type: ", json.at(key).dump()));
    }
  });
  return config;
}

}  // namespace dforge::models
