// CPU fused optimizer updates: the members of a group one after another, each an elementwise loop
// over runtime/optimizer_math.h (the functions the CUDA kernel calls).
#include "runtime/optimizer_math.h"
#include "runtime/optimizer_update.h"

namespace dforge::cpu {

void sgd_update(const std::vector<SgdTensors>& group, const SgdStep& step) {
  dispatch_floating(group.front().parameter.dtype(), "sgd", [&]<typename T>() {
    for (const SgdTensors& member : group) {
      Tensor parameter = member.parameter, momentum_buffer = member.momentum_buffer;
      T* values = parameter.data<T>();
      const T* gradient = member.grad.data<T>();
      T* buffer = step.momentum != 0 ? momentum_buffer.data<T>() : nullptr;
      const bool first_step = member.first_step;
      const int64_t count = parameter.numel();
#pragma omp parallel for if (count > 65536)
      for (int64_t i = 0; i < count; ++i) {
        math::sgd_element<T>(values[i], gradient[i], buffer ? buffer + i : nullptr, T(step.lr), T(step.momentum),
                             T(step.dampening), T(step.weight_decay), step.nesterov, first_step);
      }
    }
  });
}

void adam_update(const std::vector<AdamTensors>& group, const AdamStep& step) {
  dispatch_floating(group.front().parameter.dtype(), "adam", [&]<typename T>() {
    const math::AdamScalars<T> scalars(step);
    auto run = [&]<AdamRule rule>() {
      for (const AdamTensors& member : group) {
        Tensor parameter = member.parameter, exp_avg = member.exp_avg, exp_avg_sq = member.exp_avg_sq;
        T* values = parameter.data<T>();
        const T* gradient = member.grad.data<T>();
        T* first = exp_avg.data<T>();
        T* second = exp_avg_sq.data<T>();
        const int64_t count = parameter.numel();
#pragma omp parallel for if (count > 65536)
        for (int64_t i = 0; i < count; ++i) {
          math::adam_element<rule, T>(values[i], gradient[i], first[i], second[i], scalars);
        }
      }
    };
    switch (step.rule) {
      case AdamRule::adam: run.template operator()<AdamRule::adam>(); break;
      case AdamRule::radam_rectified: run.template operator()<AdamRule::radam_rectified>(); break;
      case AdamRule::radam_plain: run.template operator()<AdamRule::radam_plain>(); break;
    }
  });
}

}  // namespace dforge::cpu
