// Differentiable shape ops. The gradient of a pure data movement is the reverse movement:
//   y = cat(x_0..x_k)     ->  dx_0..dx_k = split(dy, sizes)
//   y_0..y_k = split(x)   ->  dx = cat(dy_0..dy_k)
//   y = slice(x)          ->  dx = slice_backward(dy)   (and the other way round)
//   y = permute(x, p)     ->  dx = permute(dy, p^-1)
#include "autograd/shape_ops.h"

#include "autograd/elementwise.h"
#include "autograd/node.h"
#include "runtime/error.h"
#include "runtime/shape_ops.h"

namespace dforge {

namespace {
std::vector<Tensor> data_of(const VariableList& xs) {
  std::vector<Tensor> tensors;
  tensors.reserve(xs.size());
  for (const Variable& x : xs) tensors.push_back(x.data());
  return tensors;
}

// p^-1 with p^-1[p[d]] = d; `order` may hold negative axes.
std::vector<int> inverse_order(const std::vector<int>& order) {
  const int ndim = int(order.size());
  std::vector<int> inverse(order.size());
  for (int d = 0; d < ndim; ++d) inverse[normalize_axis(order[d], ndim, "permute")] = d;
  return inverse;
}
}  // namespace

Variable cat(const VariableList& xs, int axis) {
  Tensor out = runtime::cat(data_of(xs), axis);
  std::vector<int64_t> sizes;
  const int dim = normalize_axis(axis, out.ndim(), "cat");
  for (const Variable& x : xs) sizes.push_back(x.shape()[dim]);
  return record_one("cat", out, xs, [sizes, dim](BackwardContext&, const VariableList& g) -> VariableList {
    return split(g[0], sizes, dim);
  });
}

VariableList split(const Variable& x, const std::vector<int64_t>& sizes, int axis) {
  std::vector<Tensor> pieces = runtime::split(x.data(), sizes, axis);
  return record("split", pieces, {x}, [axis](BackwardContext&, const VariableList& g) -> VariableList {
    return {cat(g, axis)};
  });
}

Variable slice(const Variable& x, int axis, int64_t start, int64_t end, int64_t step) {
  return record_one("slice", runtime::slice(x.data(), axis, start, end, step), {x},
                    [shape = x.shape(), axis, start, end, step](BackwardContext&, const VariableList& g) -> VariableList {
    return {slice_backward(g[0], shape, axis, start, end, step)};
  });
}

Variable slice_backward(const Variable& gradient, const Shape& input_shape, int axis, int64_t start, int64_t end,
                        int64_t step) {
  return record_one("slice_backward", runtime::slice_backward(gradient.data(), input_shape, axis, start, end, step),
                    {gradient}, [axis, start, end, step](BackwardContext&, const VariableList& g) -> VariableList {
    return {slice(g[0], axis, start, end, step)};
  });
}

Variable permute(const Variable& x, const std::vector<int>& order) {
  return record_one("permute", runtime::permute(x.data(), order), {x},
                    [order](BackwardContext&, const VariableList& g) -> VariableList {
    return {permute(g[0], inverse_order(order))};
  });
}

Variable transpose(const Variable& x, int axis_a, int axis_b) {
  return permute(x, runtime::transpose_order(x.ndim(), axis_a, axis_b));
}

Variable flatten(const Variable& x, int start_axis) {
  DFORGE_CHECK(x.ndim() > 0, "flatten: cannot flatten a 0-d tensor");
  const int start = normalize_axis(start_axis, x.ndim(), "flatten");
  Shape shape(x.shape().begin(), x.shape().begin() + start);
  int64_t merged = 1;
  for (int d = start; d < x.ndim(); ++d) merged *= x.shape()[d];
  shape.push_back(merged);
  return reshape(x, shape);
}

}  // namespace dforge
