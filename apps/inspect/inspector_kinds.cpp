#include "apps/inspect/inspector_kinds.h"

#include "models/inspect/autoencoder.h"
#include "models/inspect/classifier.h"
#include "models/inspect/segmentation_inspector.h"
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

std::shared_ptr<models::Inspector> make_segmenter(const InspectConfig& config, Generator& generator) {
  models::SegmentationInspectorConfig segmenter;
  segmenter.segmenter.in_channels = config.channels;
  segmenter.segmenter.num_downs = config.unet_downs;
  segmenter.segmenter.ngf = config.ngf;
  segmenter.segmenter.norm = models::parse_norm_kind(config.norm);
  segmenter.dice_weight = config.dice_weight;
  return std::make_shared<models::SegmentationInspector>(segmenter, generator);
}

}  // namespace

const std::vector<InspectorKind>& inspector_kinds() {
  static const std::vector<InspectorKind> kinds = {
      {"classifier", "ResNet normal-vs-defective classifier (paper 000's pseudo-supervised inspector)", true, false,
       false, make_classifier},
      {"autoencoder", "ResNet-18 autoencoder on normal images, scored by reconstruction error (paper 000's baseline)",
       false, true, false, make_autoencoder},
      {"segmenter",
       "U-Net defect segmenter on normals + defects with masks (paper 004); score: max pixel probability", true,
       false, true, make_segmenter},
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
