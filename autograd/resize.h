// Differentiable upsampling of NCHW Variables (semantics in runtime/resize.h). Upsampling is
// linear: the forward L and its adjoint L^T are differentiable ops that are each other's backward,
// so gradients of every order exist.
#pragma once

#include "autograd/variable.h"
#include "runtime/resize.h"

namespace dforge {

// [N, C, H, W] -> [N, C, out_h, out_w]; nearest = PyTorch mode='nearest', bilinear with
// align_corners as given.
Variable upsample(const Variable& x, int out_h, int out_w, UpsampleMode mode, bool align_corners = false);

// The adjoint used as the backward function, differentiable in turn (its backward is upsample).
Variable upsample_backward(const Variable& grad_output, const Shape& input_shape, UpsampleMode mode,
                           bool align_corners = false);

}  // namespace dforge
