#include "apps/inspect/inspector_kinds.h"

#include "models/inspect/autoencoder.h"
#include "models/inspect/classifier.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

std::shared_ptr<models::Inspector> make_classifier(const InspectConfig& config, Generator& generator) {
  models::ClassifierConfig classifier;
  classifier.depth = config.depth;
  classifier.in_channels = config.channels;
  classifier.source_head = config.source_head;
  classifier.grl_lambda = config.grl_lambda;
  classifier.source_weight = config.source_weight;
  classifier.width = config.width;
  return std::make_shared<models::Classifier>(classifier, generator);
}

std::shared_ptr<models::Inspector> make_autoencoder(const InspectConfig& config, Generator& generator) {
  models::AutoencoderConfig autoencoder;
  autoencoder.in_channels = config.channels;
  autoencoder.loss = models::parse_reconstruction_loss(config.loss);
  autoencoder.width = config.width;
  return std::make_shared<models::Autoencoder>(autoencoder, generator);
}

}  // namespace

const std::vector<InspectorKind>& inspector_kinds() {
  static const std::vector<InspectorKind> kinds = {
      {"classifier", "ResNet normal-vs-defective classifier (paper 000's pseudo-supervised inspector)", true, false,
       make_classifier},
      {"autoencoder", "ResNet-18 autoencoder on normal images, scored by reconstruction error (paper 000's baseline)",
       false, true, make_autoencoder},
      {"segmenter", "U-Net defect segmenter (paper 004)", true, false, nullptr},
  };
  return kinds;
}

std::string inspector_kind_names() {
  std::string names;
  for (const InspectorKind& kind : inspector_kinds()) names += (names.empty() ? "" : "|") + kind.name;
  return names;
}

const InspectorKind& find_inspector_kind(const std::string& name) {
  for (const InspectorKind& kind : inspector_kinds()) {
    if (kind.name != name) continue;
    DFORGE_CHECK(kind.make != nullptr, "inspect: --kind ", name, " is not yet available in this build");
    return kind;
  }
  throw Error("inspect: unknown --kind '" + name + "' (choose " + inspector_kind_names() + ")");
}

}  // namespace dforge::apps
