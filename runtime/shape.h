// Shape helpers: tensors are contiguous row-major, so a shape alone fixes the layout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dforge {

using Shape = std::vector<int64_t>;

int64_t numel_of(const Shape& shape);
std::string shape_str(const Shape& shape);   // "[2, 3, 4]"
Shape contiguous_strides(const Shape& shape);  // in elements
// Resolves a possibly negative axis against `ndim`; throws naming `op` when out of range.
int normalize_axis(int64_t axis, int ndim, const char* op);
// NumPy broadcasting of two shapes; throws naming `op` and both shapes when incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

}  // namespace dforge
