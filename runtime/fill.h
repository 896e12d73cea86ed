// Filling and converting: the ops Tensor itself needs.
#pragma once

#include "runtime/tensor.h"

namespace dforge::runtime {

// Sets every element of `tensor` to `value` (converted to its dtype as cast converts).
void fill(Tensor& tensor, double value);
// A new tensor of `dtype` with every element of `x` converted: floats to ints truncate toward 0 and
// saturate at the integer range, NaN gives 0 (runtime/convert_value.h).
Tensor cast(const Tensor& x, DType dtype);

}  // namespace dforge::runtime

namespace dforge::cpu {
void fill(Tensor& tensor, double value);
void cast(const Tensor& x, Tensor& out);
}  // namespace dforge::cpu

namespace dforge::cuda {
void fill(Tensor& tensor, double value);
void cast(const Tensor& x, Tensor& out);
}  // namespace dforge::cuda
