// CPU elementwise kernels: one OpenMP loop per op, the math from runtime/elementwise_math.h.
//
// GCC 12 will not vectorise a select on a float comparison (`x > 0 ? x : x * a`: leaky_relu,
// clamp, maximum, where, ...) while it must assume that comparisons may trap, so those loops ran
// scalar with a mispredicted branch per random sign (leaky_relu 30x slower than add, measured).
// We never enable floating-point traps, and -fno-trapping-math changes no result (rounding and
// NaN/inf propagation stay IEEE), so it is set for this file; before the includes, so it also
// covers the math templates instantiated here.
#pragma GCC optimize("no-trapping-math")
#include "runtime/elementwise.h"

#include "runtime/broadcast.h"

namespace dforge::cpu {

namespace {
constexpr int64_t kParallelThreshold = 32768;  // below this, thread start-up costs more than it saves

// Calls body(out_index, offset_0, offset_1, ...) for every output element, walking the merged
// broadcast dims with the innermost one in a tight loop.
template <int Inputs, typename Body>
void for_each_broadcast(const BroadcastPlan& plan, int64_t count, Body&& body) {
  if (count == 0) return;  // an empty output may have an empty innermost dim: nothing to divide by
  const int inner_dim = plan.ndim - 1;
  const int64_t inner = plan.sizes[inner_dim].divisor();
  const int64_t rows = count / inner;
#pragma omp parallel for if (count > kParallelThreshold)
  for (int64_t row = 0; row < rows; ++row) {
    int64_t base[Inputs];
    for (int k = 0; k < Inputs; ++k) base[k] = plan.offset(k, row * inner);
    int64_t step[Inputs];
    for (int k = 0; k < Inputs; ++k) step[k] = plan.strides[k][inner_dim];
    for (int64_t i = 0; i < inner; ++i) {
      if constexpr (Inputs == 1) body(row * inner + i, base[0] + i * step[0]);
      if constexpr (Inputs == 2) body(row * inner + i, base[0] + i * step[0], base[1] + i * step[1]);
      if constexpr (Inputs == 3)
        body(row * inner + i, base[0] + i * step[0], base[1] + i * step[1], base[2] + i * step[2]);
    }
  }
}
}  // namespace

void broadcast_to(const Tensor& x, Tensor& out) {
  dispatch_any(x.dtype(), "broadcast_to", [&]<typename T>() {
    const T* in = x.data<T>();
    T* result = out.data<T>();
    Shape shapes[1] = {x.shape()};
    BroadcastPlan plan = plan_broadcast(out.shape(), shapes, 1);
    for_each_broadcast<1>(plan, out.numel(), [&](int64_t i, int64_t k) { result[i] = in[k]; });
  });
}

void unary(math::UnaryOp op, const Tensor& x, double a, double b, Tensor& out) {
  dispatch_floating(x.dtype(), "unary", [&]<typename T>() {
    math::dispatch_unary(op, [&]<math::UnaryOp kOp>() {
      const T* in = x.data<T>();
      T* result = out.data<T>();
      const T param_a = T(a), param_b = T(b);
      const int64_t count = x.numel();
#pragma omp parallel for simd if (count > kParallelThreshold)
      for (int64_t i = 0; i < count; ++i) result[i] = math::unary<kOp>(in[i], param_a, param_b);
    });
  });
}

void binary(math::BinaryOp op, const Tensor& x, const Tensor& y, Tensor& out) {
  dispatch_floating(x.dtype(), "binary", [&]<typename T>() {
    math::dispatch_binary(op, [&]<math::BinaryOp kOp>() {
      const T* left = x.data<T>();
      const T* right = y.data<T>();
      T* result = out.data<T>();
      const int64_t count = out.numel();
      if (x.shape() == y.shape()) {  // the common case: no index arithmetic at all
#pragma omp parallel for simd if (count > kParallelThreshold)
        for (int64_t i = 0; i < count; ++i) result[i] = math::binary<kOp>(left[i], right[i]);
        return;
      }
      Shape shapes[2] = {x.shape(), y.shape()};
      BroadcastPlan plan = plan_broadcast(out.shape(), shapes, 2);
      for_each_broadcast<2>(plan, count, [&](int64_t i, int64_t l, int64_t r) {
        result[i] = math::binary<kOp>(left[l], right[r]);
      });
    });
  });
}

void where(const Tensor& condition, const Tensor& x, const Tensor& y, Tensor& out) {
  dispatch_floating(x.dtype(), "where", [&]<typename T>() {
    const T* cond = condition.data<T>();
    const T* left = x.data<T>();
    const T* right = y.data<T>();
    T* result = out.data<T>();
    Shape shapes[3] = {condition.shape(), x.shape(), y.shape()};
    BroadcastPlan plan = plan_broadcast(out.shape(), shapes, 3);
    for_each_broadcast<3>(plan, out.numel(), [&](int64_t i, int64_t c, int64_t l, int64_t r) {
      result[i] = cond[c] != T(0) ? left[l] : right[r];
    });
  });
}

void leaky_relu_backward(const Tensor& grad_output, const Tensor& x, double negative_slope, Tensor& out) {
  dispatch_floating(x.dtype(), "leaky_relu_backward", [&]<typename T>() {
    const T* gradient = grad_output.data<T>();
    const T* input = x.data<T>();
    T* result = out.data<T>();
    const T slope = T(negative_slope);
    const int64_t count = x.numel();
#pragma omp parallel for simd if (count > kParallelThreshold)
    for (int64_t i = 0; i < count; ++i) result[i] = math::leaky_relu_gradient(gradient[i], input[i], slope);
  });
}

void add_in_place(Tensor& x, const Tensor& y, double alpha) {
  dispatch_floating(x.dtype(), "add_in_place", [&]<typename T>() {
    T* target = x.data<T>();
    const T* source = y.data<T>();
    const T scale = T(alpha);
    const int64_t count = x.numel();
#pragma omp parallel for simd if (count > kParallelThreshold)
    for (int64_t i = 0; i < count; ++i) target[i] += scale * source[i];
  });
}

}  // namespace dforge::cpu
