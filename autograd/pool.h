// Differentiable 2-D pooling of NCHW Variables (semantics in runtime/pool.h). Average and
// adaptive pooling are linear: each forward L and its adjoint L^T are differentiable ops that are
// each other's backward, so gradients of every order exist. Max pooling routes the gradient to
// the argmax of each window (indices saved at forward time); its backward and the gather that
// undoes it form the same kind of pair.
#pragma once

#include "autograd/variable.h"

namespace dforge {

// [N, C, H, W] -> [N, C, (H + 2 padding - kernel) / stride + 1, (W + 2 padding - kernel) / stride + 1]
Variable avg_pool2d(const Variable& x, int kernel, int stride, int padding = 0, bool count_include_pad = true);
// Padding counts as -inf; the gradient goes to the first maximum of each window.
Variable max_pool2d(const Variable& x, int kernel, int stride, int padding = 0);
// [N, C, H, W] -> [N, C, out_h, out_w], bins [floor(i H / out_h), ceil((i + 1) H / out_h)).
Variable adaptive_avg_pool2d(const Variable& x, int out_h, int out_w);

// The adjoints used as backward functions, differentiable in turn (their backward is the forward).
Variable avg_pool2d_backward(const Variable& grad_output, const Shape& input_shape, int kernel, int stride,
                             int padding, bool count_include_pad);
Variable adaptive_avg_pool2d_backward(const Variable& grad_output, const Shape& input_shape);
// dx = scatter of dy to the saved argmax `indices` (i32, dy's shape), computed as a gather.
Variable max_pool2d_backward(const Variable& grad_output, const Tensor& indices, const Shape& input_shape,
                             int kernel, int stride, int padding);
// out[n, c, o] = x[n, c, indices[n, c, o]]: the adjoint of max_pool2d_backward.
Variable max_pool2d_select(const Variable& x, const Tensor& indices, int kernel, int stride, int padding);

}  // namespace dforge
