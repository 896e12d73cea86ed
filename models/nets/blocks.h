// Small builders the CycleGAN backbones share: a conv with the reference's arguments, the
// "conv -> norm -> activation" triple appended to a Sequential (three indices, as in PyTorch), the
// input check every network's forward starts with, and the generator their dropout layers use.
#pragma once

#include <memory>
#include <string>

#include "layers/conv.h"
#include "layers/sequential.h"
#include "models/nets/norm_kind.h"
#include "runtime/random.h"

namespace dforge::models {

struct ConvSpec {
  int in_channels, out_channels, kernel, stride, padding;
  bool bias = true;
};

std::shared_ptr<Conv2d> make_conv(const ConvSpec& spec, Generator& generator);

// Appends layer, make_norm(norm, channels) and activation (when given) to `sequence`.
void append_with_norm(Sequential& sequence, std::shared_ptr<Module> layer, NormKind norm, int channels,
                      std::shared_ptr<Module> activation);

// Requires `input` to be [N, channels, H, W]; throws "<network>: input [..] ..." otherwise.
void check_image_input(const Variable& input, int channels, const std::string& network);

// A generator for a network's dropout layers (Dropout keeps a reference to it), seeded from one
// draw of `rng` so the stream differs from the one the weights were initialised with.
Generator derive_generator(Generator& rng);

}  // namespace dforge::models
