// Shape ops that move data: cat, split, slice (and its adjoint slice_backward), permute, and
// one_hot for class labels. Tensors are contiguous, so each op copies into a new tensor (reshape is
// the only free one, see Tensor::reshape). Inputs may be of any dtype except where noted; axes may
// be negative (counted from the end).
#pragma once

#include <vector>

#include "runtime/tensor.h"

namespace dforge::runtime {

// Joins `xs` along `axis`. Requires: at least one tensor; all on one device, of one dtype and
// ndim, with equal sizes on every other axis. Ensures: out.size(axis) = sum of xs[k].size(axis).
Tensor cat(const std::vector<Tensor>& xs, int axis);

// Cuts `x` along `axis` into pieces of the given sizes (each >= 0, summing to x.size(axis)).
// The inverse of cat: cat(split(x, sizes, axis), axis) == x.
std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes, int axis);

// Python slicing x[start:end:step] along `axis`: negative start/end count from the end, both are
// then clamped to [0, size]; step >= 1. An empty range gives a tensor with size 0 on `axis`.
Tensor slice(const Tensor& x, int axis, int64_t start, int64_t end, int64_t step = 1);

// The adjoint of slice: a tensor of `input_shape` that holds `gradient` at the positions slice
// read from and zero everywhere else. `gradient` has the shape slice(input, ...) would return.
Tensor slice_backward(const Tensor& gradient, const Shape& input_shape, int axis, int64_t start, int64_t end,
                      int64_t step = 1);

// out.shape()[d] = x.shape()[order[d]]; `order` is a permutation of the axes (negatives allowed).
Tensor permute(const Tensor& x, const std::vector<int>& order);
// Swaps two axes: a permute by transpose_order(x.ndim(), axis_a, axis_b).
Tensor transpose(const Tensor& x, int axis_a, int axis_b);
// The identity order 0..ndim-1 with axes a and b swapped; throws when a or b is out of range.
std::vector<int> transpose_order(int ndim, int axis_a, int axis_b);

// Class labels to one-hot: `target` is i32 with every value in [0, classes); the result (of the
// floating `dtype`) has a new axis of size `classes` inserted at `axis` (counted in the result's
// dims), holding 1 at the labelled class and 0 elsewhere. A bad label is reported with its value
// and its position in `target`.
Tensor one_hot(const Tensor& target, int64_t classes, int axis, DType dtype);
// Throws naming `op`, the first bad value and its position unless `target` is i32 with every value
// in [0, classes). Reads the labels on the host.
void check_class_indices(const Tensor& target, int64_t classes, const char* op);

// A slice range resolved against an axis of `size` elements: the elements start + i * step for
// i < length.
struct SliceRange {
  int64_t start = 0;
  int64_t step = 1;
  int64_t length = 0;
};
SliceRange resolve_slice(int64_t size, int64_t start, int64_t end, int64_t step, const char* op);

}  // namespace dforge::runtime

// Kernels. Outputs are allocated by the caller with their final shapes; `axis` is non-negative.
namespace dforge::cpu {
void cat(const std::vector<Tensor>& xs, int axis, Tensor& out);
void split(const Tensor& x, int axis, std::vector<Tensor>& outs);
void slice(const Tensor& x, int axis, const runtime::SliceRange& range, Tensor& out);
void slice_backward(const Tensor& gradient, int axis, const runtime::SliceRange& range, Tensor& out);
void permute(const Tensor& x, const std::vector<int>& order, Tensor& out);
void one_hot(const Tensor& target, int axis, Tensor& out);
}  // namespace dforge::cpu

namespace dforge::cuda {
void cat(const std::vector<Tensor>& xs, int axis, Tensor& out);
void split(const Tensor& x, int axis, std::vector<Tensor>& outs);
void slice(const Tensor& x, int axis, const runtime::SliceRange& range, Tensor& out);
void slice_backward(const Tensor& gradient, int axis, const runtime::SliceRange& range, Tensor& out);
void permute(const Tensor& x, const std::vector<int>& order, Tensor& out);
void one_hot(const Tensor& target, int axis, Tensor& out);
}  // namespace dforge::cuda
