// One element of each optimizer update, shared by the CPU loop and the CUDA kernel.
#pragma once

#include <cmath>

#include "runtime/host_device.h"
#include "runtime/optimizer_update.h"

namespace dforge::math {

// Scalars of an update converted once to the parameter's type T, as PyTorch does.
template <typename T>
struct AdamScalars {
  T beta1, one_minus_beta1, beta2, one_minus_beta2, eps, weight_decay, lr, bias_correction1,
      bias_correction2_sqrt, step_size, rectification;
  explicit AdamScalars(const AdamStep& s)
      : beta1(T(s.beta1)), one_minus_beta1(T(1 - s.beta1)), beta2(T(s.beta2)), one_minus_beta2(T(1 - s.beta2)),
        eps(T(s.eps)), weight_decay(T(s.weight_decay)), lr(T(s.lr)), bias_correction1(T(s.bias_correction1)),
        bias_correction2_sqrt(T(std::sqrt(s.bias_correction2))), step_size(T(s.lr / s.bias_correction1)),
        rectification(T(s.rectification)) {}
};

template <AdamRule rule, typename T>
DFORGE_HOST_DEVICE void adam_element(T& parameter, T grad, T& exp_avg, T& exp_avg_sq, const AdamScalars<T>& s) {
  using std::sqrt;
  if (s.weight_decay != T(0)) grad = grad + s.weight_decay * parameter;
  exp_avg = exp_avg * s.beta1 + s.one_minus_beta1 * grad;
  exp_avg_sq = exp_avg_sq * s.beta2 + s.one_minus_beta2 * (grad * grad);
  if constexpr (rule == AdamRule::adam) {
    const T denominator = sqrt(exp_avg_sq) / s.bias_correction2_sqrt + s.eps;
    parameter = parameter - s.step_size * (exp_avg / denominator);
  } else if constexpr (rule == AdamRule::radam_rectified) {
    const T adaptive_lr = s.bias_correction2_sqrt / (sqrt(exp_avg_sq) + s.eps);
    parameter = parameter - (exp_avg / s.bias_correction1) * s.lr * adaptive_lr * s.rectification;
  } else {
    parameter = parameter - (exp_avg / s.bias_correction1) * s.lr;
  }
}

template <typename T>
DFORGE_HOST_DEVICE void sgd_element(T& parameter, T grad, T* momentum_buffer, T lr, T momentum, T dampening,
                                    T weight_decay, bool nesterov, bool first_step) {
  if (weight_decay != T(0)) grad = grad + weight_decay * parameter;
  if (momentum_buffer) {
    T buffer = first_step ? grad : *momentum_buffer * momentum + (T(1) - dampening) * grad;
    *momentum_buffer = buffer;
    grad = nesterov ? grad + momentum * buffer : buffer;
  }
  parameter = parameter - lr * grad;
}

}  // namespace dforge::math
