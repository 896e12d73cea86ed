// The value comparisons the runtime and autograd tests share: element-wise closeness with an
// absolute and a relative tolerance, a shape check in front of it, and the adjoint identity.
#pragma once

#include <vector>

#include "runtime/tensor.h"

namespace dforge::testing {

// 0, 1, 2, ... in row-major order.
Tensor ramp(const Shape& shape, DType dtype = DType::f64);

// Passes when every |actual - expected| <= absolute + relative * |expected| (a NaN fails); the
// element furthest over its bound is reported through INFO.
void check_close(const Tensor& actual, const std::vector<double>& expected, double absolute, double relative = 0);

// REQUIREs actual to have `shape`, then check_close.
void check_values(const Tensor& actual, const Shape& shape, const std::vector<double>& expected, double absolute,
                  double relative = 0);

// <A x, y> = <x, A^T y> for a linear A, up to the rounding of the two sums.
void check_adjoint(const Tensor& x, const Tensor& forward_of_x, const Tensor& y, const Tensor& adjoint_of_y);

}  // namespace dforge::testing
