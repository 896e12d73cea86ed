#include "layers/optimizer.h"

#include <cmath>
#include <set>

#include "autograd/grad_mode.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"
#include "runtime/reduce.h"

namespace dforge {

void Optimizer::add_param_group(const NamedVariables& parameters, double lr) {
  for (const auto& [name, parameter] : parameters) {
    DFORGE_CHECK(parameter.requires_grad(), "optimizer: parameter '", name, "' does not require grad");
  }
  groups_.push_back({parameters, lr, lr});
}

NamedTensors& Optimizer::state_for(const std::string& name) {
  for (auto& [parameter_name, state] : state_) {
    if (parameter_name == name) return state;
  }
  state_.emplace_back(name, NamedTensors{});
  return state_.back().second;
}

void Optimizer::step() {
  NoGradGuard no_grad;
  std::vector<Member> members;
  for (ParamGroup& group : groups_) {
    members.clear();
    for (auto& [name, parameter] : group.parameters) {
      if (parameter.grad().defined()) members.push_back({&parameter, &state_for(name)});
    }
    if (!members.empty()) update(members, group.lr);
  }
  ++steps_;
}

void Optimizer::zero_grad() {
  for (ParamGroup& group : groups_) {
    for (auto& [name, parameter] : group.parameters) parameter.clear_grad();
  }
}

void Optimizer::set_lr(double lr) {
  for (ParamGroup& group : groups_) group.lr = lr;
}

NamedTensors Optimizer::state_dict() const {
  NamedTensors out;
  out.emplace_back("step", Tensor::scalar(double(steps_), DType::f64));
  for (const auto& [name, state] : state_) {
    for (const auto& [state_name, tensor] : state) out.emplace_back(name + "." + state_name, tensor);
  }
  return out;
}

void Optimizer::load_state_dict(const NamedTensors& tensors, const std::string& source) {
  ParameterStates loaded;
  bool has_step = false;
  int64_t steps = 0;
  for (const auto& [key, tensor] : tensors) {
    if (key == "step") {
      steps = int64_t(tensor.item());
      has_step = true;
      continue;
    }
    bool matched = false;
    for (const ParamGroup& group : groups_) {
      for (const auto& [name, parameter] : group.parameters) {
        for (const std::string& state_name : state_names()) {
          if (key != name + "." + state_name) continue;
          DFORGE_CHECK(tensor.shape() == parameter.shape(), source, ": optimizer state '", key, "' has shape ",
                       shape_str(tensor.shape()), ", its parameter has ", shape_str(parameter.shape()));
          auto it = loaded.begin();
          while (it != loaded.end() && it->first != name) ++it;
          if (it == loaded.end()) it = loaded.insert(loaded.end(), {name, {}});
          it->second.emplace_back(state_name, tensor.to(parameter.dtype()).to(parameter.device()).clone());
          matched = true;
        }
      }
    }
    DFORGE_CHECK(matched, source, ": unexpected optimizer state '", key, "'");
  }
  DFORGE_CHECK(has_step, source, ": optimizer state has no 'step'");
  state_ = std::move(loaded);
  steps_ = steps;
}

// ---- SGD --------------------------------------------------------------------------------------

Sgd::Sgd(const NamedVariables& parameters, SgdOptions options) : options_(options) {
  DFORGE_CHECK(options.lr >= 0, "sgd: negative learning rate ", options.lr);
  DFORGE_CHECK(!options.nesterov || (options.momentum > 0 && options.dampening == 0),
               "sgd: Nesterov momentum needs momentum > 0 and dampening 0");
  add_param_group(parameters, options.lr);
}

std::vector<std::string> Sgd::state_names() const { return {"momentum_buffer"}; }

void Sgd::update(const std::vector<Member>& members, double lr) {
  const SgdStep step{lr, options_.momentum, options_.dampening, options_.weight_decay, options_.nesterov};
  std::vector<SgdTensors> group;
  group.reserve(members.size());
  for (const Member& member : members) {
    Variable& parameter = *member.parameter;
    NamedTensors& state = *member.state;
    SgdTensors tensors{parameter.data(), parameter.grad().data(), Tensor(), false};
    if (options_.momentum != 0) {
      if (state.empty()) {
        state.emplace_back("momentum_buffer",
                           Tensor::empty(parameter.shape(), parameter.dtype(), parameter.device()));
        tensors.first_step = true;
      }
      tensors.momentum_buffer = state[0].second;
    }
    group.push_back(std::move(tensors));
  }
  runtime::sgd_update(group, step);
}

// ---- Adam / RAdam -------------------------------------------------------------------------------

Adam::Adam(const NamedVariables& parameters, AdamOptions options, bool rectified)
    : options_(options), rectified_(rectified) {
  DFORGE_CHECK(options.lr >= 0, "adam: negative learning rate ", options.lr);
  DFORGE_CHECK(options.beta1 >= 0 && options.beta1 < 1 && options.beta2 >= 0 && options.beta2 < 1,
               "adam: betas must lie in [0, 1), got (", options.beta1, ", ", options.beta2, ")");
  DFORGE_CHECK(options.eps >= 0, "adam: negative eps ", options.eps);
  add_param_group(parameters, options.lr);
}

std::vector<std::string> Adam::state_names() const { return {"exp_avg", "exp_avg_sq"}; }

void Adam::update(const std::vector<Member>& members, double lr) {
  const double t = double(steps_ + 1);
  AdamStep step;
  step.lr = lr;
  step.beta1 = options_.beta1;
  step.beta2 = options_.beta2;
  step.eps = options_.eps;
  step.weight_decay = options_.weight_decay;
  step.bias_correction1 = 1 - std::pow(options_.beta1, t);
  step.bias_correction2 = 1 - std::pow(options_.beta2, t);
  step.rule = AdamRule::adam;
  if (rectified_) {
    const double rho_inf = 2 / (1 - options_.beta2) - 1;
    const double rho_t = rho_inf - 2 * t * std::pow(options_.beta2, t) / step.bias_correction2;
    if (rho_t > 5.0) {
      step.rule = AdamRule::radam_rectified;
      step.rectification =
          std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
    } else {
      step.rule = AdamRule::radam_plain;
    }
  }
  std::vector<AdamTensors> group;
  group.reserve(members.size());
  for (const Member& member : members) {
    Variable& parameter = *member.parameter;
    NamedTensors& state = *member.state;
    if (state.empty()) {
      state.emplace_back("exp_avg", Tensor::zeros(parameter.shape(), parameter.dtype(), parameter.device()));
      state.emplace_back("exp_avg_sq", Tensor::zeros(parameter.shape(), parameter.dtype(), parameter.device()));
    }
    group.push_back({parameter.data(), parameter.grad().data(), state[0].second, state[1].second});
  }
  runtime::adam_update(group, step);
}

double clip_grad_norm(const VariableList& parameters, double max_norm) {
  double total = 0;
  for (const Variable& parameter : parameters) {
    if (!parameter.grad().defined()) continue;
    const Tensor& g = parameter.grad().data();
    total += runtime::sum(runtime::mul(g, g)).item();
  }
  const double norm = std::sqrt(total);
  const double scale = max_norm / (norm + 1e-6);  // torch.nn.utils.clip_grad_norm_'s rule
  if (scale < 1) {
    for (const Variable& parameter : parameters) {
      if (!parameter.grad().defined()) continue;
      parameter.grad().set_data(runtime::affine(parameter.grad().data(), scale, 0.0));
    }
  }
  return norm;
}

}  // namespace dforge
