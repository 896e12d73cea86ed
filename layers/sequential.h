// Sequential: children named "0", "1", ... applied in order, as torch.nn.Sequential.
#pragma once

#include <memory>

#include "layers/module.h"

namespace dforge {

class Sequential : public Module {
 public:
  // Appends `module` under the next index and returns it.
  template <typename M>
  std::shared_ptr<M> add(std::shared_ptr<M> module) {
    layers_.push_back(module);
    return register_module(std::to_string(layers_.size() - 1), module);
  }
  Variable forward(const Variable& input) override {
    Variable x = input;
    for (auto& layer : layers_) x = layer->forward(x);
    return x;
  }
  size_t size() const { return layers_.size(); }
  Module& operator[](size_t index) { return *layers_.at(index); }

 protected:
  std::string type_name() const override { return "Sequential"; }

 private:
  std::vector<std::shared_ptr<Module>> layers_;
};

}  // namespace dforge
