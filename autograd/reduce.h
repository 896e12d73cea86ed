// Differentiable reductions over a set of axes (empty = all), as runtime/reduce.h.
#pragma once

#include <vector>

#include "autograd/variable.h"

namespace dforge {

Variable sum(const Variable& x, const std::vector<int>& axes = {}, bool keepdim = false);
Variable mean(const Variable& x, const std::vector<int>& axes = {}, bool keepdim = false);
// Variance with divisor (count - correction): 0 = biased (norm layers), 1 = unbiased.
Variable var(const Variable& x, const std::vector<int>& axes, bool keepdim = false, int correction = 0);
// The gradient is split evenly among tied maxima (PyTorch's amax/amin rule).
Variable max(const Variable& x, const std::vector<int>& axes = {}, bool keepdim = false);
Variable min(const Variable& x, const std::vector<int>& axes = {}, bool keepdim = false);

}  // namespace dforge
