// Differentiable shape ops (runtime/shape_ops.h for the exact contracts). Each backward is another
// shape op, itself differentiable, so second-order gradients flow through them:
//   cat <-> split,  slice <-> slice_backward,  permute <-> inverse permute,  reshape <-> reshape.
#pragma once

#include <cstdint>
#include <vector>

#include "autograd/variable.h"

namespace dforge {

// Joins `xs` along `axis`; backward splits the gradient into pieces of the inputs' sizes.
Variable cat(const VariableList& xs, int axis);
// Cuts `x` along `axis` into pieces of `sizes`; backward joins the pieces' gradients (an unused
// piece contributes zeros, which the engine supplies).
VariableList split(const Variable& x, const std::vector<int64_t>& sizes, int axis);
// x[start:end:step] along `axis` (Python rules, step >= 1); backward scatters into zeros.
Variable slice(const Variable& x, int axis, int64_t start, int64_t end, int64_t step = 1);
// The adjoint of slice: `gradient` placed at the sliced positions of a zero tensor of
// `input_shape`; backward is slice.
Variable slice_backward(const Variable& gradient, const Shape& input_shape, int axis, int64_t start,
                        int64_t end, int64_t step = 1);
// out.shape()[d] = x.shape()[order[d]]; backward applies the inverse permutation.
Variable permute(const Variable& x, const std::vector<int>& order);
// Swaps two axes (its own inverse).
Variable transpose(const Variable& x, int axis_a, int axis_b);
// Merges axes start_axis..last into one: [N, C, H, W] -> [N, C*H*W] for start_axis = 1. A reshape.
Variable flatten(const Variable& x, int start_axis = 1);

}  // namespace dforge
