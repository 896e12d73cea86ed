// CUDA normalisation kernels, mirroring runtime/cpu/norm.cpp, fused: one kernel per pass over the
// data (runtime/cuda/group_reduce.cuh), two passes each way.
//   forward:  statistics pass  -> mean, var (biased), rstd = 1 / sqrt(var + eps) per group,
//             write pass       -> y = (x - mean) * rstd.
//   backward: statistics pass  -> mean(dy), mean(dy * y) per group,
//             write pass       -> dx = rstd * (dy - mean(dy) - y * mean(dy * y)).
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
  }
};

template <typename T>
struct WriteNormalized {
  const T* in;
  const T *mean, *rstd;
  T* out;
  __device__ void operator()(int64_t offset, int64_t group) const {
    out[offset] = (in[offset] - mean[group]) * rstd[group];
  }
};

template <typename T>
struct LoadGradientMoments {
  const T *dy, *y;
  __device__ TwoSums operator()(int64_t offset, int64_t, int64_t, int64_t) const {
    return {double(dy[offset]), double(dy[offset]) * double(y[offset])};
  }
};

template <typename T>
struct FinishGradientMeans {
  T *gradient_mean, *projection_mean;
  double count;
  __device__ void operator()(int64_t group, int64_t, TwoSums sums) const {
    gradient_mean[group] = T(sums.first / count);
    projection_mean[group] = T(sums.second / count);
  }
};

template <typename T>
struct WriteInputGradient {
  const T *dy, *y, *rstd, *gradient_mean, *projection_mean;
  T* dx;
  __device__ void operator()(int64_t offset, int64_t group) const {
    dx[offset] = rstd[group] * (dy[offset] - gradient_mean[group] - y[offset] * projection_mean[group]);
  }
};

}  // namespace

void normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, Tensor& output,
                       Tensor& mean, Tensor& var, Tensor& rstd) {
  dispatch_floating(x.dtype(), "normalize_forward", [&]<typename T>() {
    const GroupLayout layout = make_group_layout(x.shape(), axes, "normalize_forward");
    const T* in = x.data<T>();
    reduce_groups<TwoSumsPolicy>(
        layout, LoadShiftedMoments<T>{in},
        FinishStatistics<T>{in, mean.data<T>(), var.data<T>(), rstd.data<T>(), double(layout.count), eps});
    map_groups(layout, WriteNormalized<T>{in, mean.data<T>(), rstd.data<T>(), output.data<T>()});
  });
}

void normalize_backward(const Tensor& grad_output, const Tensor& normalized, const Tensor& rstd,
                        const std::vector<int>& axes, Tensor& grad_input) {
  dispatch_floating(normalized.dtype(), "normalize_backward", [&]<typename T>() {
    const GroupLayout layout = make_group_layout(normalized.shape(), axes, "normalize_backward");
    const T* dy = grad_output.data<T>();
    const T* y = normalized.data<T>();
    Scratch<T> gradient_mean(layout.groups()), projection_mean(layout.groups());
    reduce_groups<TwoSumsPolicy>(
        layout, LoadGradientMoments<T>{dy, y},
        FinishGradientMeans<T>{gradient_mean.data(), projection_mean.data(), double(layout.count)});
    map_groups(layout, WriteInputGradient<T>{dy, y, rstd.data<T>(), gradient_mean.data(),
                                             projection_mean.data(), grad_input.data<T>()});
  });
}

}  // namespace dforge::cuda
