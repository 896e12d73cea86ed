#include "runtime/shape.h"

#include <algorithm>

#include "runtime/error.h"

namespace dforge {

int64_t numel_of(const Shape& shape) {
  int64_t count = 1;
  for (int64_t size : shape) count *= size;
  return count;
}

std::string shape_str(const Shape& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

int normalize_axis(int64_t axis, int ndim, const char* op) {
  DFORGE_CHECK(axis >= -ndim && axis < std::max(ndim, 1), op, ": axis ", axis,
               " is out of range for a tensor with ", ndim, " dims");
  return int(axis < 0 ? axis + ndim : axis);
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  size_t ndim = std::max(a.size(), b.size());
  Shape out(ndim);
  for (size_t i = 0; i < ndim; ++i) {
    int64_t size_a = i < ndim - a.size() ? 1 : a[i - (ndim - a.size())];
    int64_t size_b = i < ndim - b.size() ? 1 : b[i - (ndim - b.size())];
    DFORGE_CHECK(size_a == size_b || size_a == 1 || size_b == 1, op, ": shapes ", shape_str(a),
                 " and ", shape_str(b), " cannot be broadcast together");
    out[i] = size_a == 1 ? size_b : size_a;
  }
  return out;
}

}  // namespace dforge
