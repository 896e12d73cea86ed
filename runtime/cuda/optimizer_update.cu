// CUDA fused optimizer updates, mirroring runtime/cpu/optimizer_update.cpp: one kernel per
// parameter reads the parameter, its gradient and its state once and writes them back, with the
// per-element math of runtime/optimizer_math.h (the functions the CPU loop calls).
#include "runtime/cuda/common.cuh"
#include "runtime/optimizer_math.h"
#include "runtime/optimizer_update.h"

namespace dforge::cuda {

namespace {

template <typename T>
struct SgdScalars {
  T lr, momentum, dampening, weight_decay;
  bool nesterov, first_step;
};

template <typename T>
__global__ void sgd_kernel(T* values, const T* gradient, T* buffer, int64_t count, SgdScalars<T> s) {
  for (int64_t i = global_thread_index(); i < count; i += global_thread_count()) {
    math::sgd_element<T>(values[i], gradient[i], buffer ? buffer + i : nullptr, s.lr, s.momentum, s.dampening,
                         s.weight_decay, s.nesterov, s.first_step);
  }
}

template <AdamRule rule, typename T>
__global__ void adam_kernel(T* values, const T* gradient, T* first, T* second, int64_t count,
                            math::AdamScalars<T> scalars) {
  for (int64_t i = global_thread_index(); i < count; i += global_thread_count()) {
    math::adam_element<rule, T>(values[i], gradient[i], first[i], second[i], scalars);
  }
}

}  // namespace

void sgd_update(Tensor& parameter, const Tensor& grad, Tensor& momentum_buffer, const SgdStep& step) {
  dispatch_floating(parameter.dtype(), "sgd", [&]<typename T>() {
    T* buffer = step.momentum != 0 ? momentum_buffer.data<T>() : nullptr;
    const SgdScalars<T> scalars{T(step.lr),           T(step.momentum), T(step.dampening),
                                T(step.weight_decay), step.nesterov,    step.first_step};
    launch_for(parameter.numel(), sgd_kernel<T>, parameter.data<T>(), grad.data<T>(), buffer,
               parameter.numel(), scalars);
  });
}

void adam_update(Tensor& parameter, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq,
                 const AdamStep& step) {
  dispatch_floating(parameter.dtype(), "adam", [&]<typename T>() {
    const math::AdamScalars<T> scalars(step);
    auto run = [&]<AdamRule rule>() {
      launch_for(parameter.numel(), adam_kernel<rule, T>, parameter.data<T>(), grad.data<T>(),
                 exp_avg.data<T>(), exp_avg_sq.data<T>(), parameter.numel(), scalars);
    };
    switch (step.rule) {
      case AdamRule::adam:
        run.template operator()<AdamRule::adam>();
        break;
      case AdamRule::radam_rectified:
        run.template operator()<AdamRule::radam_rectified>();
        break;
      case AdamRule::radam_plain:
        run.template operator()<AdamRule::radam_plain>();
        break;
    }
  });
}

}  // namespace dforge::cuda
