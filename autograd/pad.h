// Differentiable padding of the last two dims (semantics in runtime/pad.h). Padding is linear:
// the forward and its adjoint are differentiable ops that are each other's backward, so gradients
// of every order exist.
#pragma once

#include "autograd/variable.h"
#include "runtime/pad.h"

namespace dforge {

// [..., H, W] -> [..., top + H + bottom, left + W + right], PyTorch F.pad semantics per mode.
Variable pad2d(const Variable& x, int left, int right, int top, int bottom, PadMode mode = PadMode::zeros);

// The adjoint used as the backward function, differentiable in turn (its backward is pad2d).
Variable pad2d_backward(const Variable& grad_output, int left, int right, int top, int bottom,
                        PadMode mode = PadMode::zeros);

}  // namespace dforge
