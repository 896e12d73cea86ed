// CUDA normalisation kernels, mirroring runtime/cpu/norm.cpp, fused: one kernel per pass over the
// data (runtime/cuda/group_reduce.cuh), two passes each way.
//   forward:  statistics pass  -> mean, var (biased), rstd = 1 / sqrt(var + eps) per group,
//             write pass       -> y = (x - mean) * rstd * weight[c] + bias[c].
//   backward: statistics pass  -> mean(dy), mean(dy * xhat) per group, xhat = (x - mean) * rstd
//                                 recomputed as the forward computed it,
//             write pass       -> dx = rstd * weight[c] * (dy - mean(dy) - xhat * mean(dy * xhat)),
//             and, for the weight and bias gradients, one thread per channel folds the groups' sums
//             sum(dy * xhat) and sum(dy) in group order.
// The per-channel affine is resolved once per group (its channel's weight and bias, or rstd * weight)
// by the statistics pass's finish step, so the write passes do no index arithmetic for it.
// The statistics pass sums x - p and (x - p)^2 in double with p the group's first element, so
//   var = sum (x - p)^2 / n - (sum (x - p) / n)^2
// loses nothing to cancellation unless the data's mean is many orders of magnitude above its
// spread. Sums run in a fixed order: deterministic from run to run.
#include <cmath>

#include "runtime/cuda/group_reduce.cuh"
#include "runtime/norm.h"

namespace dforge::cuda {

namespace {

template <typename T>
struct LoadShiftedMoments {
  const T* in;
  __device__ TwoSums operator()(int64_t offset, int64_t base, int64_t, int64_t) const {
    const double deviation = double(in[offset]) - double(in[base]);
    return {deviation, deviation * deviation};
  }
};

template <typename T>
struct FinishStatistics {
  const T* in;
  T *mean, *var, *rstd;
  const T *weight, *bias;     // per channel, either may be null
  T *group_gain, *group_bias;  // per group: weight[c] (or 1) and bias[c] (or 0); null without affine
  runtime::ChannelOfGroup channel_of;
  double count, eps;
  __device__ void operator()(int64_t group, int64_t base, TwoSums sums) const {
    const double shift = sums.first / count;
    const double spread = sums.second / count - shift * shift;
    // Clamp rounding below zero, but keep a NaN (from a NaN or inf in the group) as the CPU does:
    // `spread > 0 ? spread : 0` would turn it into var 0 and a finite rstd.
    const double variance = spread < 0 ? 0.0 : spread;
    mean[group] = T(double(in[base]) + shift);
    var[group] = T(variance);
    rstd[group] = T(1.0 / sqrt(variance + eps));
    if (group_gain) {
      const int64_t channel = channel_of(group);
      group_gain[group] = weight ? weight[channel] : T(1);
      group_bias[group] = bias ? bias[channel] : T(0);
    }
  }
};

// normalized * gain + offset rounded twice, as the separate mul and add kernels rounded it before
// the affine was fused (nvcc would contract the plain expression into one fma), as the CPU does.
__device__ __forceinline__ float multiply_add_unfused(float value, float gain, float offset) {
  return __fadd_rn(__fmul_rn(value, gain), offset);
}
__device__ __forceinline__ double multiply_add_unfused(double value, double gain, double offset) {
  return __dadd_rn(__dmul_rn(value, gain), offset);
}

template <typename T>
struct WriteNormalized {
  const T* in;
  const T *mean, *rstd, *group_gain, *group_bias;  // group_gain, group_bias null without affine
  T* out;
  __device__ void operator()(int64_t offset, int64_t group) const {
    const T normalized = (in[offset] - mean[group]) * rstd[group];
    out[offset] = group_gain ? multiply_add_unfused(normalized, group_gain[group], group_bias[group]) : normalized;
  }
};

template <typename T>
struct LoadGradientMoments {
  const T *dy, *x, *mean, *rstd;
  __device__ TwoSums operator()(int64_t offset, int64_t, int64_t group, int64_t) const {
    const T normalized = (x[offset] - mean[group]) * rstd[group];
    return {double(dy[offset]), double(dy[offset]) * double(normalized)};
  }
};

template <typename T>
struct FinishGradientMeans {
  const T *rstd, *weight;                           // weight per channel, may be null
  T *gradient_mean, *projection_mean, *input_scale;  // per group
  TwoSums* group_sums;                              // per group, null unless per-channel gradients are wanted
  runtime::ChannelOfGroup channel_of;
  double count;
  __device__ void operator()(int64_t group, int64_t, TwoSums sums) const {
    gradient_mean[group] = T(sums.first / count);
    projection_mean[group] = T(sums.second / count);
    input_scale[group] = weight ? rstd[group] * weight[channel_of(group)] : rstd[group];
    if (group_sums) group_sums[group] = sums;
  }
};

template <typename T>
struct WriteInputGradient {
  const T *dy, *x, *mean, *rstd, *gradient_mean, *projection_mean, *input_scale;
  T* dx;
  __device__ void operator()(int64_t offset, int64_t group) const {
    const T normalized = (x[offset] - mean[group]) * rstd[group];
    dx[offset] = input_scale[group] * (dy[offset] - gradient_mean[group] - normalized * projection_mean[group]);
  }
};

// grad_weight[c] = sum(dy * xhat), grad_bias[c] = sum(dy) over the groups of channel c, added in
// increasing group order (as the CPU's fold_channel_sums); either output may be null.
template <typename T>
__global__ void fold_channel_sums_kernel(const TwoSums* group_sums, int64_t outer_count,
                                         runtime::ChannelOfGroup channel_of, T* grad_weight, T* grad_bias) {
  for (int64_t channel = global_thread_index(); channel < channel_of.channels; channel += global_thread_count()) {
    double weight_total = 0, bias_total = 0;
    for (int64_t outer = 0; outer < outer_count; ++outer) {
      for (int64_t inner = 0; inner < channel_of.stride; ++inner) {
        const TwoSums sums = group_sums[(outer * channel_of.channels + channel) * channel_of.stride + inner];
        bias_total += sums.first;
        weight_total += sums.second;
      }
    }
    if (grad_weight) grad_weight[channel] = T(weight_total);
    if (grad_bias) grad_bias[channel] = T(bias_total);
  }
}

template <typename T>
const T* data_or_null(const Tensor& tensor) {
  return tensor.defined() ? tensor.data<T>() : nullptr;
}

template <typename T>
T* mutable_data_or_null(Tensor& tensor) {
  return tensor.defined() ? tensor.data<T>() : nullptr;
}

}  // namespace

void normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, const Tensor& weight,
                       const Tensor& bias, Tensor& output, Tensor& mean, Tensor& var, Tensor& rstd) {
  dispatch_floating(x.dtype(), "normalize_forward", [&]<typename T>() {
    const GroupLayout layout = make_group_layout(x.shape(), axes, "normalize_forward");
    const T* in = x.data<T>();
    const bool affine = weight.defined() || bias.defined();
    Scratch<T> group_gain(affine ? layout.groups() : 0), group_bias(affine ? layout.groups() : 0);
    T* gain = affine ? group_gain.data() : nullptr;
    T* offset = affine ? group_bias.data() : nullptr;
    reduce_groups<TwoSumsPolicy>(
        layout, LoadShiftedMoments<T>{in},
        FinishStatistics<T>{in, mean.data<T>(), var.data<T>(), rstd.data<T>(), data_or_null<T>(weight),
                            data_or_null<T>(bias), gain, offset, runtime::channel_of_group(x.shape(), axes),
                            double(layout.count), eps});
    map_groups(layout, WriteNormalized<T>{in, mean.data<T>(), rstd.data<T>(), gain, offset, output.data<T>()});
  });
}

void normalize_backward(const Tensor& grad_output, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                        const std::vector<int>& axes, const Tensor& weight, Tensor& grad_input,
                        Tensor& grad_weight, Tensor& grad_bias) {
  dispatch_floating(x.dtype(), "normalize_backward", [&]<typename T>() {
    const GroupLayout layout = make_group_layout(x.shape(), axes, "normalize_backward");
    const runtime::ChannelOfGroup channel_of = runtime::channel_of_group(x.shape(), axes);
    const T* dy = grad_output.data<T>();
    const T* source = x.data<T>();
    const bool per_channel = grad_weight.defined() || grad_bias.defined();
    Scratch<T> gradient_mean(layout.groups()), projection_mean(layout.groups()), input_scale(layout.groups());
    Scratch<TwoSums> group_sums(per_channel ? layout.groups() : 0);
    reduce_groups<TwoSumsPolicy>(
        layout, LoadGradientMoments<T>{dy, source, mean.data<T>(), rstd.data<T>()},
        FinishGradientMeans<T>{rstd.data<T>(), data_or_null<T>(weight), gradient_mean.data(), projection_mean.data(),
                               input_scale.data(), per_channel ? group_sums.data() : nullptr, channel_of,
                               double(layout.count)});
    if (grad_input.defined()) {
      map_groups(layout, WriteInputGradient<T>{dy, source, mean.data<T>(), rstd.data<T>(), gradient_mean.data(),
                                               projection_mean.data(), input_scale.data(), grad_input.data<T>()});
    }
    if (per_channel) {
      const int64_t groups_per_outer = channel_of.channels * channel_of.stride;  // 0 only when there are no groups
      const int64_t outer_count = groups_per_outer > 0 ? layout.groups() / groups_per_outer : 0;
      launch_for(channel_of.channels, fold_channel_sums_kernel<T>, static_cast<const TwoSums*>(group_sums.data()),
                 outer_count, channel_of, mutable_data_or_null<T>(grad_weight), mutable_data_or_null<T>(grad_bias));
    }
  });
}

}  // namespace dforge::cuda
