// Differentiable softmax and log_softmax along one axis (runtime/softmax.h for the forward).
// Backwards are written with differentiable ops on the saved output, so second order works:
//   y = softmax(x):      dx = y * (g - sum(g * y, axis))
//   y = log_softmax(x):  dx = g - exp(y) * sum(g, axis)
#pragma once

#include "autograd/variable.h"

namespace dforge {

Variable softmax(const Variable& x, int axis);
// Stable: x - max - log(sum(exp(x - max))), fused in one kernel.
Variable log_softmax(const Variable& x, int axis);

}  // namespace dforge
