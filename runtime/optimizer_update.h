// Fused optimizer updates: one pass over a parameter updates it and its state in place. The
// per-step scalars (bias corrections, rectification) are computed once on the host by the
// optimizer (layers/optimizer.*), so the kernels are pure elementwise loops, identical in form
// on the CPU and the GPU. The arithmetic follows PyTorch 1.13's single-tensor code paths, in
// the parameter's own precision, operation for operation.
//
// An update takes a whole group of parameters that share one step (one learning rate): the CPU
// loops over the members, the GPU updates all of them in one kernel launch (multi-tensor apply,
// runtime/cuda/optimizer_update.cu). A single parameter is a group of one; every member's
// result is bit-identical to updating it alone.
#pragma once

#include <vector>

#include "runtime/tensor.h"

namespace dforge {

struct SgdStep {
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false;
};

// One member of an SGD group. momentum_buffer may be undefined when the step's momentum is 0.
struct SgdTensors {
  Tensor parameter, grad, momentum_buffer;
  bool first_step = false;  // the momentum buffer starts as the gradient (its parameter's first update)
};

enum class AdamRule : uint8_t {
  adam,             // p -= step_size * m / (sqrt(v) / sqrt(bc2) + eps), step_size = lr / bc1
  radam_rectified,  // p -= (m / bc1) * lr * (sqrt(bc2) / (sqrt(v) + eps)) * rect
  radam_plain,      // p -= (m / bc1) * lr
};

struct AdamStep {
  AdamRule rule = AdamRule::adam;
  double lr = 0, beta1 = 0, beta2 = 0, eps = 0, weight_decay = 0;
  double bias_correction1 = 1, bias_correction2 = 1, rectification = 1;
};

// One member of an Adam/RAdam group.
struct AdamTensors {
  Tensor parameter, grad, exp_avg, exp_avg_sq;
};

namespace runtime {
// Update every member of `group` in place (parameter and state; the gradient is only read). All
// members must be defined, on one device and of one floating dtype, and each member's tensors must
// have its parameter's shape; no parameter may appear twice. An empty group does nothing.
void sgd_update(const std::vector<SgdTensors>& group, const SgdStep& step);
void adam_update(const std::vector<AdamTensors>& group, const AdamStep& step);
}  // namespace runtime

}  // namespace dforge

// The kernels receive a group the dispatcher has checked and that holds at least one member.
namespace dforge::cpu {
void sgd_update(const std::vector<SgdTensors>& group, const SgdStep& step);
void adam_update(const std::vector<AdamTensors>& group, const AdamStep& step);
}  // namespace dforge::cpu

namespace dforge::cuda {
void sgd_update(const std::vector<SgdTensors>& group, const SgdStep& step);
void adam_update(const std::vector<AdamTensors>& group, const AdamStep& step);
}  // namespace dforge::cuda
