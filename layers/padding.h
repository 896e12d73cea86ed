// Padding modules (torch.nn.ReflectionPad2d, ReplicationPad2d, ZeroPad2d): parameter-free wrappers
// of autograd pad2d, so an explicit pad can sit at its PyTorch index in a Sequential (the ResNet
// generator's ReflectionPad2d(3) before its 7x7 convs fixes the names of every layer after it).
#pragma once

#include "autograd/pad.h"
#include "layers/module.h"

namespace dforge {

// Pads the last two dims by `padding` on every side with `mode`.
class Pad2d : public Module {
 public:
  Pad2d(int padding, PadMode mode) : padding_(padding), mode_(mode) {}
  Variable forward(const Variable& input) override {
    return pad2d(input, padding_, padding_, padding_, padding_, mode_);
  }

 protected:
  std::string type_name() const override { return "Pad2d"; }

 private:
  int padding_;
  PadMode mode_;
};

class ReflectionPad2d : public Pad2d {
 public:
  explicit ReflectionPad2d(int padding) : Pad2d(padding, PadMode::reflect) {}
};

}  // namespace dforge
