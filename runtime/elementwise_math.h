// The math of every elementwise op, written once for the CPU loops and the CUDA kernels.
// Each op is a small struct with a DFORGE_HOST_DEVICE call operator; `a` and `b` are the op's
// scalar parameters (slope, exponent, bounds, scale/shift), unused by most.
#pragma once

#include <cmath>

#include "runtime/host_device.h"

namespace dforge::math {

enum class UnaryOp {
  neg, abs, sign, exp, log, sqrt, rsqrt, tanh, sigmoid, relu,
  leaky_relu,  // a = negative slope
  pow,         // a = exponent
  clamp,       // a = low, b = high
  affine,      // x * a + b
};

enum class BinaryOp { add, sub, mul, div, maximum, minimum, eq, ne, lt, le, gt, ge };

template <UnaryOp op, typename T>
DFORGE_HOST_DEVICE T unary(T x, T a, T b) {
  using std::exp, std::log, std::sqrt, std::tanh, std::pow, std::fabs;
  if constexpr (op == UnaryOp::neg) return -x;
  if constexpr (op == UnaryOp::abs) return fabs(x);
  if constexpr (op == UnaryOp::sign) return T((x > T(0)) - (x < T(0)));
  if constexpr (op == UnaryOp::exp) return exp(x);
  if constexpr (op == UnaryOp::log) return log(x);
  if constexpr (op == UnaryOp::sqrt) return sqrt(x);
  if constexpr (op == UnaryOp::rsqrt) return T(1) / sqrt(x);
  if constexpr (op == UnaryOp::tanh) return tanh(x);
  // Written so that exp never overflows: for x < 0 use e^x / (1 + e^x).
  if constexpr (op == UnaryOp::sigmoid) {
    if (x >= T(0)) return T(1) / (T(1) + exp(-x));
    T e = exp(x);
    return e / (T(1) + e);
  }
  if constexpr (op == UnaryOp::relu) return x > T(0) ? x : T(0);
  if constexpr (op == UnaryOp::leaky_relu) return x > T(0) ? x : x * a;
  if constexpr (op == UnaryOp::pow) return pow(x, a);
  if constexpr (op == UnaryOp::clamp) return x < a ? a : (x > b ? b : x);
  if constexpr (op == UnaryOp::affine) return x * a + b;
}

// The gradient of leaky_relu(x) (relu: slope 0) given the output gradient g: d/dx = 1 for x > 0,
// the slope elsewhere (at 0 too, as in PyTorch).
template <typename T>
DFORGE_HOST_DEVICE T leaky_relu_gradient(T g, T x, T negative_slope) {
  return x > T(0) ? g : g * negative_slope;
}

template <BinaryOp op, typename T>
DFORGE_HOST_DEVICE T binary(T x, T y) {
  if constexpr (op == BinaryOp::add) return x + y;
  if constexpr (op == BinaryOp::sub) return x - y;
  if constexpr (op == BinaryOp::mul) return x * y;
  if constexpr (op == BinaryOp::div) return x / y;
  if constexpr (op == BinaryOp::maximum) return x > y ? x : y;
  if constexpr (op == BinaryOp::minimum) return x < y ? x : y;
  if constexpr (op == BinaryOp::eq) return T(x == y);
  if constexpr (op == BinaryOp::ne) return T(x != y);
  if constexpr (op == BinaryOp::lt) return T(x < y);
  if constexpr (op == BinaryOp::le) return T(x <= y);
  if constexpr (op == BinaryOp::gt) return T(x > y);
  if constexpr (op == BinaryOp::ge) return T(x >= y);
}

// Calls body.template operator()<op>() with the enum value as a compile-time constant, so each
// kernel is instantiated once per op and the per-element switch disappears.
template <typename Body>
void dispatch_unary(UnaryOp op, Body&& body) {
  switch (op) {
#define DFORGE_UNARY_CASE(name) case UnaryOp::name: return body.template operator()<UnaryOp::name>();
    DFORGE_UNARY_CASE(neg) DFORGE_UNARY_CASE(abs) DFORGE_UNARY_CASE(sign) DFORGE_UNARY_CASE(exp)
    DFORGE_UNARY_CASE(log) DFORGE_UNARY_CASE(sqrt) DFORGE_UNARY_CASE(rsqrt) DFORGE_UNARY_CASE(tanh)
    DFORGE_UNARY_CASE(sigmoid) DFORGE_UNARY_CASE(relu) DFORGE_UNARY_CASE(leaky_relu)
    DFORGE_UNARY_CASE(pow) DFORGE_UNARY_CASE(clamp) DFORGE_UNARY_CASE(affine)
#undef DFORGE_UNARY_CASE
  }
}

template <typename Body>
void dispatch_binary(BinaryOp op, Body&& body) {
  switch (op) {
#define DFORGE_BINARY_CASE(name) case BinaryOp::name: return body.template operator()<BinaryOp::name>();
    DFORGE_BINARY_CASE(add) DFORGE_BINARY_CASE(sub) DFORGE_BINARY_CASE(mul) DFORGE_BINARY_CASE(div)
    DFORGE_BINARY_CASE(maximum) DFORGE_BINARY_CASE(minimum) DFORGE_BINARY_CASE(eq) DFORGE_BINARY_CASE(ne)
    DFORGE_BINARY_CASE(lt) DFORGE_BINARY_CASE(le) DFORGE_BINARY_CASE(gt) DFORGE_BINARY_CASE(ge)
#undef DFORGE_BINARY_CASE
  }
}

}  // namespace dforge::math
