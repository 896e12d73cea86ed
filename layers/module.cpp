#include "layers/module.h"

#include <map>
#include <set>

#include "runtime/error.h"

namespace dforge {

Variable Module::forward(const Variable&) {
  throw Error(concat(type_name(), ": this module does not take a single input; call its own forward"));
}

Variable Module::register_parameter(const std::string& name, const Tensor& value) {
  Variable parameter(value, /*requires_grad=*/true);
  parameters_.emplace_back(name, parameter);
  return parameter;
}

Variable Module::register_buffer(const std::string& name, const Tensor& value) {
  Variable buffer(value, false);
  buffers_.emplace_back(name, buffer);
  return buffer;
}

void Module::rename_parameter(const std::string& from, const std::string& to) {
  for (auto& [name, parameter] : parameters_) {
    if (name == from) {
      name = to;
      return;
    }
  }
  throw Error(concat(type_name(), ": no parameter named '", from, "'"));
}

void Module::collect(const std::string& prefix, bool parameters, NamedVariables& out) const {
  for (const auto& [name, variable] : parameters ? parameters_ : buffers_) out.emplace_back(prefix + name, variable);
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", parameters, out);
}

NamedVariables Module::named_parameters() const {
  NamedVariables out;
  collect("", true, out);
  return out;
}

VariableList Module::parameters() const {
  VariableList out;
  for (auto& [name, parameter] : named_parameters()) out.push_back(parameter);
  return out;
}

NamedVariables Module::named_buffers() const {
  NamedVariables out;
  collect("", false, out);
  return out;
}

NamedTensors Module::state_dict() const {
  // PyTorch order: a module's own parameters, then its own buffers, then each child in turn.
  NamedTensors out;
  append_state("", out);
  return out;
}

void Module::append_state(const std::string& prefix, NamedTensors& out) const {
  for (const auto& [name, parameter] : parameters_) out.emplace_back(prefix + name, parameter.data());
  for (const auto& [name, buffer] : buffers_) out.emplace_back(prefix + name, buffer.data());
  for (const auto& [name, child] : children_) child->append_state(prefix + name + ".", out);
}

void Module::load_state_dict(const NamedTensors& tensors, const std::string& source) {
  std::map<std::string, Variable> targets;
  for (auto& entry : named_parameters()) targets.insert(entry);
  for (auto& entry : named_buffers()) targets.insert(entry);
  std::set<std::string> seen;
  for (const auto& [name, tensor] : tensors) {
    auto target = targets.find(name);
    DFORGE_CHECK(target != targets.end(), source, ": unexpected tensor '", name, "' ", tensor.describe(),
                 " (this ", type_name(), " has no such parameter or buffer)");
    DFORGE_CHECK(seen.insert(name).second, source, ": tensor '", name, "' appears twice");
    const Tensor& current = target->second.data();
    DFORGE_CHECK(tensor.shape() == current.shape(), source, ": tensor '", name, "' has shape ",
                 shape_str(tensor.shape()), ", the model expects ", shape_str(current.shape()));
  }
  for (const auto& [name, variable] : targets) {
    DFORGE_CHECK(seen.count(name), source, ": missing tensor '", name, "' ", variable.describe());
  }
  // Everything checked: now copy, so a bad file never leaves the model half-loaded.
  for (const auto& [name, tensor] : tensors) {
    Variable& target = targets[name];
    target.set_data(tensor.to(target.dtype()).to(target.device()).clone());
  }
}

void Module::train(bool training) {
  training_ = training;
  for (auto& [name, child] : children_) child->train(training);
}

void Module::to(Device device) {
  for (auto& [name, parameter] : parameters_) parameter.set_data(parameter.data().to(device));
  for (auto& [name, buffer] : buffers_) buffer.set_data(buffer.data().to(device));
  for (auto& [name, child] : children_) child->to(device);
}

void Module::to(DType dtype) {
  for (auto& [name, parameter] : parameters_) parameter.set_data(parameter.data().to(dtype));
  for (auto& [name, buffer] : buffers_) {
    if (is_floating(buffer.dtype())) buffer.set_data(buffer.data().to(dtype));
  }
  for (auto& [name, child] : children_) child->to(dtype);
}

void Module::zero_grad() {
  for (auto& [name, parameter] : named_parameters()) parameter.clear_grad();
}

}  // namespace dforge
