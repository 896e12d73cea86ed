// Module: a node of the network tree. It owns named parameters (Variables that require grad),
// named buffers (state that is saved but not trained: running statistics, spectral-norm vectors)
// and named children. Names compose with dots exactly as in PyTorch ("model.1.weight"), so a
// state dict moves between defectforge and PyTorch through safetensors without renaming.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/variable.h"

namespace dforge {

using NamedVariables = std::vector<std::pair<std::string, Variable>>;

class Module {
 public:
  virtual ~Module() = default;

  // Single-input modules override this; modules with other signatures expose their own forward
  // and keep the default, which says so.
  virtual Variable forward(const Variable& input);
  Variable operator()(const Variable& input) { return forward(input); }

  // Recursive, in registration order, with dotted names.
  NamedVariables named_parameters() const;
  VariableList parameters() const;
  NamedVariables named_buffers() const;  // buffers are Variables that never require grad
  // Parameters then buffers of each module, depth first: the order PyTorch's state_dict uses.
  NamedTensors state_dict() const;
  // Copies every tensor into place. Strict: a missing, unexpected or mis-shaped tensor is an error
  // naming it (and `source`, e.g. the file, when given). Dtypes are converted to the parameter's.
  void load_state_dict(const NamedTensors& tensors, const std::string& source = "state dict");

  void train(bool training = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  void to(Device device);
  // Converts floating parameters and buffers (f64 for gradient checks); integer buffers stay.
  void to(DType dtype);
  void zero_grad();

 protected:
  Variable register_parameter(const std::string& name, const Tensor& value);
  Variable register_buffer(const std::string& name, const Tensor& value);
  template <typename M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    children_.emplace_back(name, module);
    return module;
  }
  // Renames a registered parameter (spectral norm turns "weight" into "weight_orig").
  void rename_parameter(const std::string& from, const std::string& to);
  virtual std::string type_name() const { return "Module"; }

 private:
  void collect(const std::string& prefix, bool parameters, NamedVariables& out) const;
  void append_state(const std::string& prefix, NamedTensors& out) const;

  NamedVariables parameters_;
  NamedVariables buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace dforge
