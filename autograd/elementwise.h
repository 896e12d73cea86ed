// Differentiable elementwise ops on Variables. Each forward calls the runtime kernel; each
// backward is written with these same ops, so it can be differentiated again.
#pragma once

#include "autograd/variable.h"

namespace dforge {

// A constant (requires_grad false) with the dtype and device of `like`.
Variable constant(double value, const Variable& like);
Variable constant_like(const Tensor& tensor);

Variable neg(const Variable& x);
Variable abs(const Variable& x);
Variable exp(const Variable& x);
Variable log(const Variable& x);
Variable sqrt(const Variable& x);
Variable rsqrt(const Variable& x);
Variable pow(const Variable& x, double exponent);
Variable tanh(const Variable& x);
Variable sigmoid(const Variable& x);
Variable relu(const Variable& x);
Variable leaky_relu(const Variable& x, double negative_slope);
Variable clamp(const Variable& x, double low, double high);
Variable affine(const Variable& x, double scale, double shift);  // x * scale + shift
Variable sign(const Variable& x);                                 // not differentiable: no graph

// Binary ops broadcast like NumPy; the gradient of a broadcast input is summed back to its shape.
Variable add(const Variable& x, const Variable& y);
Variable sub(const Variable& x, const Variable& y);
Variable mul(const Variable& x, const Variable& y);
Variable div(const Variable& x, const Variable& y);
// On ties the gradient is split evenly between x and y (as PyTorch does).
Variable maximum(const Variable& x, const Variable& y);
Variable minimum(const Variable& x, const Variable& y);

// Comparisons give 1 or 0 in the inputs' dtype and carry no gradient.
Variable eq(const Variable& x, const Variable& y);
Variable gt(const Variable& x, const Variable& y);
Variable ge(const Variable& x, const Variable& y);
Variable lt(const Variable& x, const Variable& y);
Variable le(const Variable& x, const Variable& y);
// condition != 0 ? x : y; gradients flow to the chosen side; condition gets none.
Variable where(const Variable& condition, const Variable& x, const Variable& y);

// Shape plumbing that broadcasting needs.
Variable reshape(const Variable& x, const Shape& shape);
Variable broadcast_to(const Variable& x, const Shape& shape);
Variable sum_to_shape(const Variable& x, const Shape& shape);

inline Variable operator-(const Variable& x) { return neg(x); }
inline Variable operator+(const Variable& x, const Variable& y) { return add(x, y); }
inline Variable operator-(const Variable& x, const Variable& y) { return sub(x, y); }
inline Variable operator*(const Variable& x, const Variable& y) { return mul(x, y); }
inline Variable operator/(const Variable& x, const Variable& y) { return div(x, y); }
inline Variable operator+(const Variable& x, double s) { return affine(x, 1.0, s); }
inline Variable operator+(double s, const Variable& x) { return affine(x, 1.0, s); }
inline Variable operator-(const Variable& x, double s) { return affine(x, 1.0, -s); }
inline Variable operator-(double s, const Variable& x) { return affine(x, -1.0, s); }
inline Variable operator*(const Variable& x, double s) { return affine(x, s, 0.0); }
inline Variable operator*(double s, const Variable& x) { return affine(x, s, 0.0); }
inline Variable operator/(const Variable& x, double s) { return affine(x, 1.0 / s, 0.0); }
inline Variable operator/(double s, const Variable& x) { return constant(s, x) / x; }

}  // namespace dforge
