// The inspector kinds `dforge inspect` knows, in one table: adding a kind is one entry here -- its
// name, what it trains on, how its scores read, and how to build it from an InspectConfig.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "apps/inspect/inspect_config.h"
#include "models/inspect/inspector.h"
#include "runtime/random.h"

namespace dforge::apps {

struct InspectorKind {
  std::string name;
  std::string summary;             // one line, for --help
  bool trains_on_defects = false;  // needs --defects: labelled defective images next to the normals
  // Whether the F1/DR/FAR threshold is calibrated on the training normals after training (scores
  // with no natural scale, such as reconstruction errors); otherwise it is 0.5.
  bool calibrated_threshold = false;
  // Whether its maps are defect probabilities and its score their maximum (the segmenter): the
  // threshold then also segments pixels, so evaluation reports mIoU at it.
  bool segments = false;
  // Builds the network (CPU, training mode); empty for a kind that is not available yet.
  std::function<std::shared_ptr<models::Inspector>(const InspectConfig&, Generator&)> make;
};

const std::vector<InspectorKind>& inspector_kinds();

// The kind called `name`. Throws for an unknown name (listing the kinds) and for a kind that is not
// available yet (saying so).
const InspectorKind& find_inspector_kind(const std::string& name);

// The names, "classifier|autoencoder|segmenter", for help texts.
std::string inspector_kind_names();

}  // namespace dforge::apps
