// Elementwise ops: unary maps, binary ops with NumPy broadcasting, comparisons (1 or 0 in the
// inputs' dtype) and where. Inputs must share dtype (f32 or f64) and device.
#pragma once

#include "runtime/elementwise_math.h"
#include "runtime/tensor.h"

namespace dforge::runtime {

using math::BinaryOp;
using math::UnaryOp;

// out[i] = op(x[i]; a, b). Same shape as x.
Tensor unary(UnaryOp op, const Tensor& x, double a = 0, double b = 0);
// out = op(x, y) broadcast to broadcast_shapes(x, y).
Tensor binary(BinaryOp op, const Tensor& x, const Tensor& y);
// out = condition != 0 ? x : y, all three broadcast together; condition has the dtype of x.
Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y);
// Copies `x` broadcast to `shape` (NumPy rules); returns x itself when shapes match.
Tensor broadcast_to(const Tensor& x, const Shape& shape);
// Sums `x` over the dims that were broadcast to reach x.shape() from `shape` (the adjoint of
// broadcasting, used by every binary op's backward). Returns x itself when shapes match.
Tensor sum_to_shape(const Tensor& x, const Shape& shape);

inline Tensor add(const Tensor& x, const Tensor& y) { return binary(BinaryOp::add, x, y); }
inline Tensor sub(const Tensor& x, const Tensor& y) { return binary(BinaryOp::sub, x, y); }
inline Tensor mul(const Tensor& x, const Tensor& y) { return binary(BinaryOp::mul, x, y); }
inline Tensor div(const Tensor& x, const Tensor& y) { return binary(BinaryOp::div, x, y); }
inline Tensor affine(const Tensor& x, double scale, double shift) { return unary(UnaryOp::affine, x, scale, shift); }

// The input gradient of leaky_relu (relu is negative_slope 0) in one pass, without the 0/1 mask:
//   out[i] = x[i] > 0 ? grad_output[i] : grad_output[i] * negative_slope.
// Requires grad_output and x of one shape, dtype (f32 or f64) and device.
Tensor leaky_relu_backward(const Tensor& grad_output, const Tensor& x, double negative_slope);

// In place: x += alpha * y (same shape, dtype, device). The optimizers and gradient accumulation
// use it; nothing else mutates tensors.
void add_in_place(Tensor& x, const Tensor& y, double alpha = 1.0);

}  // namespace dforge::runtime

namespace dforge::cpu {
void broadcast_to(const Tensor& x, Tensor& out);
void unary(math::UnaryOp op, const Tensor& x, double a, double b, Tensor& out);
void binary(math::BinaryOp op, const Tensor& x, const Tensor& y, Tensor& out);
void where(const Tensor& condition, const Tensor& x, const Tensor& y, Tensor& out);
void add_in_place(Tensor& x, const Tensor& y, double alpha);
void leaky_relu_backward(const Tensor& grad_output, const Tensor& x, double negative_slope, Tensor& out);
}  // namespace dforge::cpu

namespace dforge::cuda {
void broadcast_to(const Tensor& x, Tensor& out);
void unary(math::UnaryOp op, const Tensor& x, double a, double b, Tensor& out);
void binary(math::BinaryOp op, const Tensor& x, const Tensor& y, Tensor& out);
void where(const Tensor& condition, const Tensor& x, const Tensor& y, Tensor& out);
void add_in_place(Tensor& x, const Tensor& y, double alpha);
void leaky_relu_backward(const Tensor& grad_output, const Tensor& x, double negative_slope, Tensor& out);
}  // namespace dforge::cuda
