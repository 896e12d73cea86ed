// NormKind: parsing, the norm module, and the reference's use_bias rule.
#include "models/nets/norm_kind.h"

#include "layers/activations.h"
#include "layers/norm.h"
#include "runtime/error.h"

namespace dforge::models {

NormKind parse_norm_kind(const std::string& name) {
  if (name == "batch") return NormKind::batch;
  if (name == "instance") return NormKind::instance;
  if (name == "none") return NormKind::none;
  throw Error(concat("unknown norm '", name, "' (expected batch, instance or none)"));
}

const char* norm_kind_name(NormKind kind) {
  switch (kind) {
    case NormKind::batch: return "batch";
    case NormKind::instance: return "instance";
    case NormKind::none: return "none";
  }
  return "?";
}

std::shared_ptr<Module> make_norm(NormKind kind, int channels) {
  switch (kind) {
    case NormKind::batch: return std::make_shared<BatchNorm2d>(channels);
    case NormKind::instance: return std::make_shared<InstanceNorm2d>(channels, 1e-5, /*affine=*/false);
    case NormKind::none: return std::make_shared<Identity>();
  }
  throw Error("make_norm: invalid NormKind");
}

bool conv_bias_for(NormKind kind) { return kind == NormKind::instance; }

}  // namespace dforge::models
