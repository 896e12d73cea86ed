// CUDA elementwise kernels, mirroring runtime/cpu/elementwise.cpp op for op. All of them go through
// the generic map kernel (runtime/cuda/map.cuh); the math is runtime/elementwise_math.h, the same
// functions the CPU loops call.
#include "runtime/cuda/map.cuh"
#include "runtime/elementwise.h"

namespace dforge::cuda {

namespace {

template <math::UnaryOp op, typename T>
struct UnaryFunction {
  T a, b;
  __device__ T operator()(T x) const { return math::unary<op>(x, a, b); }
};

template <math::BinaryOp op, typename T>
struct BinaryFunction {
  __device__ T operator()(T x, T y) const { return math::binary<op>(x, y); }
};

template <typename T>
struct Identity {
  __device__ T operator()(T x) const { return x; }
};

template <typename T>
struct Select {
  __device__ T operator()(T condition, T x, T y) const { return condition != T(0) ? x : y; }
};

// g passed where x > 0, scaled by the slope elsewhere (math::leaky_relu_gradient).
template <typename T>
struct LeakyReluGradient {
  T negative_slope;
  __device__ T operator()(T g, T x) const { return math::leaky_relu_gradient(g, x, negative_slope); }
};

// x + alpha * y, the CPU's `target[i] += scale * source[i]`.
template <typename T>
struct ScaledAdd {
  T alpha;
  __device__ T operator()(T x, T y) const { return x + alpha * y; }
};

}  // namespace

void broadcast_to(const Tensor& x, Tensor& out) {
  dispatch_any(x.dtype(), "broadcast_to", [&]<typename T>() { map<T, 1>(Identity<T>{}, out, {&x}); });
}

void unary(math::UnaryOp op, const Tensor& x, double a, double b, Tensor& out) {
  dispatch_floating(x.dtype(), "unary", [&]<typename T>() {
    math::dispatch_unary(op, [&]<math::UnaryOp kOp>() {
      map<T, 1>(UnaryFunction<kOp, T>{T(a), T(b)}, out, {&x});
    });
  });
}

void binary(math::BinaryOp op, const Tensor& x, const Tensor& y, Tensor& out) {
  dispatch_floating(x.dtype(), "binary", [&]<typename T>() {
    math::dispatch_binary(op, [&]<math::BinaryOp kOp>() {
      map<T, 2>(BinaryFunction<kOp, T>{}, out, {&x, &y});
    });
  });
}

void where(const Tensor& condition, const Tensor& x, const Tensor& y, Tensor& out) {
  dispatch_floating(x.dtype(), "where", [&]<typename T>() {
    map<T, 3>(Select<T>{}, out, {&condition, &x, &y});
  });
}

void leaky_relu_backward(const Tensor& grad_output, const Tensor& x, double negative_slope, Tensor& out) {
  dispatch_floating(x.dtype(), "leaky_relu_backward", [&]<typename T>() {
    map<T, 2>(LeakyReluGradient<T>{T(negative_slope)}, out, {&grad_output, &x});
  });
}

void add_in_place(Tensor& x, const Tensor& y, double alpha) {
  dispatch_floating(x.dtype(), "add_in_place", [&]<typename T>() {
    map<T, 2>(ScaledAdd<T>{T(alpha)}, x, {&x, &y});
  });
}

}  // namespace dforge::cuda
