#include "runtime/optimizer_math.h"
#include "runtime/optimizer_update.h"

namespace dforge::cpu {

void sgd_update(Tensor& parameter, const Tensor& grad, Tensor& momentum_buffer, const SgdStep& step) {
  dispatch_floating(parameter.dtype(), "sgd", [&]<typename T>() {
    T* values = parameter.data<T>();
    const T* gradient = grad.data<T>();
    T* buffer = step.momentum != 0 ? momentum_buffer.data<T>() : nullptr;
    const int64_t count = parameter.numel();
#pragma omp parallel for if (count > 65536)
    for (int64_t i = 0; i < count; ++i) {
      math::sgd_element<T>(values[i], gradient[i], buffer ? buffer + i : nullptr, T(step.lr), T(step.momentum),
                           T(step.dampening), T(step.weight_decay), step.nesterov, step.first_step);
    }
  });
}

void adam_update(Tensor& parameter, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq, const AdamStep& step) {
  dispatch_floating(parameter.dtype(), "adam", [&]<typename T>() {
    const math::AdamScalars<T> scalars(step);
    T* values = parameter.data<T>();
    const T* gradient = grad.data<T>();
    T* first = exp_avg.data<T>();
    T* second = exp_avg_sq.data<T>();
    const int64_t count = parameter.numel();
    auto run = [&]<AdamRule rule>() {
#pragma omp parallel for if (count > 65536)
      for (int64_t i = 0; i < count; ++i) math::adam_element<rule, T>(values[i], gradient[i], first[i], second[i], scalars);
    };
    switch (step.rule) {
      case AdamRule::adam: run.template operator()<AdamRule::adam>(); break;
      case AdamRule::radam_rectified: run.template operator()<AdamRule::radam_rectified>(); break;
      case AdamRule::radam_plain: run.template operator()<AdamRule::radam_plain>(); break;
    }
  });
}

}  // namespace dforge::cpu
