// Validation and output allocation for the shape ops; the copying is done by the kernels.
#include "runtime/shape_ops.h"

#include <algorithm>
#include <numeric>

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {

std::string list_str(const std::vector<int64_t>& values) { return shape_str(values); }

std::string list_str(const std::vector<int>& values) { return shape_str(Shape(values.begin(), values.end())); }

// True when `a` and `b` have the same ndim and equal sizes on every axis but `axis`.
bool same_except(const Shape& a, const Shape& b, int axis) {
  if (a.size() != b.size()) return false;
  for (size_t d = 0; d < a.size(); ++d) {
    if (int(d) != axis && a[d] != b[d]) return false;
  }
  return true;
}

// "[1, 0, 2]": the multi-index of element `flat` in a tensor of `shape`.
std::string position_str(int64_t flat, const Shape& shape) {
  Shape index(shape.size());
  for (int d = int(shape.size()) - 1; d >= 0; --d) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return shape_str(index);
}

}  // namespace

Tensor cat(const std::vector<Tensor>& xs, int axis) {
  DFORGE_CHECK(!xs.empty(), "cat: no tensors to join");
  const Tensor& first = xs.front();
  check_same_device("cat", first);
  DFORGE_CHECK(first.ndim() > 0, "cat: cannot join 0-d tensors (", first.describe(), ")");
  const int dim = normalize_axis(axis, first.ndim(), "cat");
  Shape shape = first.shape();
  shape[dim] = 0;
  for (size_t k = 0; k < xs.size(); ++k) {
    check_same_device("cat", first, xs[k]);
    check_same_dtype("cat", first, xs[k]);
    DFORGE_CHECK(same_except(first.shape(), xs[k].shape(), dim), "cat: tensor ", k, " has shape ",
                 shape_str(xs[k].shape()), " but tensor 0 has shape ", shape_str(first.shape()),
                 "; they must match on every axis except axis ", dim);
    shape[dim] += xs[k].shape()[dim];
  }
  Tensor out = Tensor::empty(shape, first.dtype(), first.device());
  DFORGE_ROUTE(first.device(), cat, xs, dim, out);
  return out;
}

std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes, int axis) {
  check_same_device("split", x);
  DFORGE_CHECK(x.ndim() > 0, "split: cannot split a 0-d tensor");
  const int dim = normalize_axis(axis, x.ndim(), "split");
  DFORGE_CHECK(!sizes.empty(), "split: no piece sizes given for ", x.describe());
  const int64_t total = std::accumulate(sizes.begin(), sizes.end(), int64_t(0));
  const bool all_non_negative = std::all_of(sizes.begin(), sizes.end(), [](int64_t s) { return s >= 0; });
  DFORGE_CHECK(all_non_negative && total == x.shape()[dim], "split: sizes ", list_str(sizes), " do not add up to ",
               x.shape()[dim], ", the size of axis ", dim, " of ", shape_str(x.shape()));
  std::vector<Tensor> outs;
  for (int64_t size : sizes) {
    Shape shape = x.shape();
    shape[dim] = size;
    outs.push_back(Tensor::empty(shape, x.dtype(), x.device()));
  }
  DFORGE_ROUTE(x.device(), split, x, dim, outs);
  return outs;
}

SliceRange resolve_slice(int64_t size, int64_t start, int64_t end, int64_t step, const char* op) {
  DFORGE_CHECK(step >= 1, op, ": step must be at least 1, got ", step);
  auto clamp_index = [size](int64_t index) { return std::clamp(index < 0 ? index + size : index, int64_t(0), size); };
  SliceRange range;
  range.start = clamp_index(start);
  range.step = step;
  const int64_t stop = clamp_index(end);
  range.length = stop > range.start ? (stop - range.start + step - 1) / step : 0;
  return range;
}

Tensor slice(const Tensor& x, int axis, int64_t start, int64_t end, int64_t step) {
  check_same_device("slice", x);
  DFORGE_CHECK(x.ndim() > 0, "slice: cannot slice a 0-d tensor");
  const int dim = normalize_axis(axis, x.ndim(), "slice");
  SliceRange range = resolve_slice(x.shape()[dim], start, end, step, "slice");
  Shape shape = x.shape();
  shape[dim] = range.length;
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), slice, x, dim, range, out);
  return out;
}

Tensor slice_backward(const Tensor& gradient, const Shape& input_shape, int axis, int64_t start, int64_t end,
                      int64_t step) {
  check_same_device("slice_backward", gradient);
  DFORGE_CHECK(!input_shape.empty(), "slice_backward: input shape is 0-d");
  const int dim = normalize_axis(axis, int(input_shape.size()), "slice_backward");
  SliceRange range = resolve_slice(input_shape[dim], start, end, step, "slice_backward");
  Shape expected = input_shape;
  expected[dim] = range.length;
  DFORGE_CHECK(gradient.shape() == expected, "slice_backward: gradient ", shape_str(gradient.shape()),
               " does not match the slice shape ", shape_str(expected), " of input ", shape_str(input_shape));
  Tensor out = Tensor::empty(input_shape, gradient.dtype(), gradient.device());
  DFORGE_ROUTE(gradient.device(), slice_backward, gradient, dim, range, out);
  return out;
}

Tensor permute(const Tensor& x, const std::vector<int>& order) {
  check_same_device("permute", x);
  DFORGE_CHECK(int(order.size()) == x.ndim(), "permute: order ", list_str(order), " has ", order.size(),
               " axes but ", x.describe(), " has ", x.ndim());
  std::vector<int> axes(order.size());
  std::vector<bool> seen(order.size(), false);
  for (size_t d = 0; d < order.size(); ++d) {
    axes[d] = normalize_axis(order[d], x.ndim(), "permute");
    DFORGE_CHECK(!seen[axes[d]], "permute: order ", list_str(order), " repeats axis ", order[d]);
    seen[axes[d]] = true;
  }
  Shape shape(order.size());
  for (size_t d = 0; d < axes.size(); ++d) shape[d] = x.shape()[axes[d]];
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), permute, x, axes, out);
  return out;
}

std::vector<int> transpose_order(int ndim, int axis_a, int axis_b) {
  DFORGE_CHECK(ndim > 0, "transpose: cannot transpose a 0-d tensor");
  std::vector<int> order(static_cast<size_t>(ndim));
  std::iota(order.begin(), order.end(), 0);
  std::swap(order[normalize_axis(axis_a, ndim, "transpose")], order[normalize_axis(axis_b, ndim, "transpose")]);
  return order;
}

Tensor transpose(const Tensor& x, int axis_a, int axis_b) {
  check_same_device("transpose", x);
  return permute(x, transpose_order(x.ndim(), axis_a, axis_b));
}

void check_class_indices(const Tensor& target, int64_t classes, const char* op) {
  DFORGE_CHECK(target.defined(), op, ": target is an undefined tensor");
  DFORGE_CHECK(target.dtype() == DType::i32, op, ": target must be i32 class indices, got ", target.describe());
  DFORGE_CHECK(classes > 0, op, ": needs at least one class, got ", classes);
  Tensor host = target.to(Device::cpu());
  const int32_t* labels = host.data<int32_t>();
  for (int64_t i = 0; i < host.numel(); ++i) {
    DFORGE_CHECK(labels[i] >= 0 && labels[i] < classes, op, ": target", position_str(i, host.shape()), " = ",
                 labels[i], " is not a class index in [0, ", classes, ")");
  }
}

Tensor one_hot(const Tensor& target, int64_t classes, int axis, DType dtype) {
  check_same_device("one_hot", target);
  DFORGE_CHECK(is_floating(dtype), "one_hot: output dtype must be f32 or f64, got ", dtype_name(dtype));
  check_class_indices(target, classes, "one_hot");
  const int dim = normalize_axis(axis, target.ndim() + 1, "one_hot");
  Shape shape = target.shape();
  shape.insert(shape.begin() + dim, classes);
  Tensor out = Tensor::empty(shape, dtype, target.device());
  DFORGE_ROUTE(target.device(), one_hot, target, dim, out);
  return out;
}

}  // namespace dforge::runtime
