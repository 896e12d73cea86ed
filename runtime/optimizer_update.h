// Fused optimizer updates: one pass over a parameter updates it and its state in place. The
// per-step scalars (bias corrections, rectification) are computed once on the host by the
// optimizer (layers/optimizer.*), so the kernels are pure elementwise loops, identical in form
// on the CPU and the GPU. The arithmetic follows PyTorch 1.13's single-tensor code paths, in
// the parameter's own precision, operation for operation.
#pragma once

#include "runtime/tensor.h"

namespace dforge {

struct SgdStep {
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false;
  bool first_step = false;  // the momentum buffer starts as the gradient
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

namespace runtime {
// momentum_buffer may be undefined when momentum is 0.
void sgd_update(Tensor& parameter, const Tensor& grad, Tensor& momentum_buffer, const SgdStep& step);
void adam_update(Tensor& parameter, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq, const AdamStep& step);
}  // namespace runtime

}  // namespace dforge

namespace dforge::cpu {
void sgd_update(Tensor& parameter, const Tensor& grad, Tensor& momentum_buffer, const SgdStep& step);
void adam_update(Tensor& parameter, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq, const AdamStep& step);
}  // namespace dforge::cpu

namespace dforge::cuda {
void sgd_update(Tensor& parameter, const Tensor& grad, Tensor& momentum_buffer, const SgdStep& step);
void adam_update(Tensor& parameter, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq, const AdamStep& step);
}  // namespace dforge::cuda
