// Reductions over any set of axes (empty set = all axes). The output keeps reduced axes as size 1
// when keepdim is true, drops them otherwise (reducing everything gives a 0-d tensor).
#pragma once

#include <vector>

#include "runtime/tensor.h"

namespace dforge::runtime {

enum class ReduceOp { sum, mean, max, min, var };

// `correction` is used by var only: divide by (count - correction); 0 = biased, 1 = unbiased.
Tensor reduce(ReduceOp op, const Tensor& x, const std::vector<int>& axes, bool keepdim, int correction = 0);

inline Tensor sum(const Tensor& x, const std::vector<int>& axes = {}, bool keepdim = false) {
  return reduce(ReduceOp::sum, x, axes, keepdim);
}
inline Tensor mean(const Tensor& x, const std::vector<int>& axes = {}, bool keepdim = false) {
  return reduce(ReduceOp::mean, x, axes, keepdim);
}
inline Tensor max(const Tensor& x, const std::vector<int>& axes = {}, bool keepdim = false) {
  return reduce(ReduceOp::max, x, axes, keepdim);
}
inline Tensor var(const Tensor& x, const std::vector<int>& axes, bool keepdim, int correction) {
  return reduce(ReduceOp::var, x, axes, keepdim, correction);
}
// Index of the largest element along `axis` (first one on ties), as i32, axis removed.
Tensor argmax(const Tensor& x, int axis);

// The shape reduce() produces; also validates and normalises `axes` (sorted, unique) in place.
Shape reduced_shape(const Shape& shape, std::vector<int>& axes, bool keepdim, const char* op);

}  // namespace dforge::runtime

namespace dforge::cpu {
// `axes` sorted, unique, non-empty; `out` has the keepdim=true shape's element count.
void reduce(runtime::ReduceOp op, const Tensor& x, const std::vector<int>& axes, int correction, Tensor& out);
void argmax(const Tensor& x, int axis, Tensor& out);
}  // namespace dforge::cpu

namespace dforge::cuda {
void reduce(runtime::ReduceOp op, const Tensor& x, const std::vector<int>& axes, int correction, Tensor& out);
void argmax(const Tensor& x, int axis, Tensor& out);
}  // namespace dforge::cuda
