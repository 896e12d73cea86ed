// Optimizers: SGD (momentum, dampening, Nesterov, weight decay), Adam and RAdam, with exactly the
// update rules of torch.optim 1.13 (single-tensor paths). Parameters come in named groups, each
// with its own learning rate (dtgan trains its mapping network 100x slower). Their state
// (moments, momentum buffers, step count) round-trips through state_dict() so a checkpoint can
// resume training bit for bit.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "layers/module.h"
#include "runtime/optimizer_update.h"

namespace dforge {

struct ParamGroup {
  NamedVariables parameters;
  double lr = 1e-3;
  double initial_lr = 1e-3;  // what schedules scale
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  void add_param_group(const NamedVariables& parameters, double lr);
  // Applies one update to every parameter that has a gradient; parameters without one are skipped
  // (as in PyTorch). Each group's parameters are updated together (runtime::adam_update and
  // runtime::sgd_update take a whole group).
  void step();
  void zero_grad();

  std::vector<ParamGroup>& groups() { return groups_; }
  int64_t steps_taken() const { return steps_; }
  void set_lr(double lr);  // every group

  // "<parameter name>.<state name>" tensors and "step"; names must be unique across groups.
  NamedTensors state_dict() const;
  void load_state_dict(const NamedTensors& tensors, const std::string& source = "optimizer state");

 protected:
  // A parameter that has a gradient and this optimizer's tensors for it (created on first use).
  struct Member {
    Variable* parameter;
    NamedTensors* state;
  };
  // Updates the parameters of one group that have a gradient, in one runtime call (one kernel
  // launch on the GPU); `members` is never empty and follows the group's order.
  virtual void update(const std::vector<Member>& members, double lr) = 0;
  virtual std::vector<std::string> state_names() const = 0;

  int64_t steps_ = 0;  // completed steps; the update being applied is number steps_ + 1

 private:
  NamedTensors& state_for(const std::string& name);

  std::vector<ParamGroup> groups_;
  // By parameter name, in order of creation. A deque: adding an entry keeps references to the
  // others valid, so step() can hold them while it creates more.
  using ParameterStates = std::deque<std::pair<std::string, NamedTensors>>;
  ParameterStates state_;
};

struct SgdOptions {
  double lr = 1e-2, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false;
};

class Sgd : public Optimizer {
 public:
  Sgd(const NamedVariables& parameters, SgdOptions options);

 protected:
  void update(const std::vector<Member>& members, double lr) override;
  std::vector<std::string> state_names() const override;

 private:
  SgdOptions options_;
};

struct AdamOptions {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
};

// Adam (Kingma & Ba) or, with rectified = true, RAdam (Liu et al. 2020) as torch.optim.RAdam:
// rho_inf = 2/(1-b2) - 1, rho_t = rho_inf - 2 t b2^t / (1 - b2^t); when rho_t > 5 the step is
// rectified by r = sqrt((rho_t-4)(rho_t-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_t)), otherwise
// it is plain momentum SGD on the bias-corrected first moment.
class Adam : public Optimizer {
 public:
  Adam(const NamedVariables& parameters, AdamOptions options, bool rectified = false);

 protected:
  void update(const std::vector<Member>& members, double lr) override;
  std::vector<std::string> state_names() const override;

 private:
  AdamOptions options_;
  bool rectified_;
};

class RAdam : public Adam {
 public:
  RAdam(const NamedVariables& parameters, AdamOptions options) : Adam(parameters, options, true) {}
};

// Scales all gradients so their global L2 norm is at most max_norm; returns the norm before.
double clip_grad_norm(const VariableList& parameters, double max_norm);

}  // namespace dforge
