// The normalisation choice of the CycleGAN backbones (junyanz/pytorch-CycleGAN-and-pix2pix,
// get_norm_layer) and the two rules that follow from it:
//   batch    -> BatchNorm2d(affine, running statistics); the convs in front of it have no bias
//   instance -> InstanceNorm2d(affine=False, no running statistics); the convs keep their bias
//   none     -> Identity; as in the reference (use_bias is true for instance norm only), no bias
// Every choice occupies one index in its Sequential, so the state-dict names do not depend on it.
#pragma once

#include <memory>
#include <string>

#include "layers/module.h"

namespace dforge::models {

enum class NormKind { batch, instance, none };

// "batch", "instance" or "none"; anything else throws naming the value and the choices.
NormKind parse_norm_kind(const std::string& name);
const char* norm_kind_name(NormKind kind);

// The norm module over `channels` (Identity for none).
std::shared_ptr<Module> make_norm(NormKind kind, int channels);

// Whether a conv followed by this norm has a bias (the reference's use_bias).
bool conv_bias_for(NormKind kind);

}  // namespace dforge::models
