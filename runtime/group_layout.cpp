#include "runtime/group_layout.h"

#include <algorithm>

#include "runtime/error.h"

namespace dforge {

GroupLayout make_group_layout(const Shape& shape, const std::vector<int>& axes, const char* op) {
  GroupLayout layout;
  const Shape strides = contiguous_strides(shape);
  const int last_axis = axes.back();
  for (int d = last_axis + 1; d < int(shape.size()); ++d) layout.lanes *= shape[d];
  int64_t outer_sizes[kMaxGroupDims] = {}, reduced_sizes[kMaxGroupDims] = {};
  enum class Kind { none, kept, reduced } previous = Kind::none;
  for (int d = 0; d <= last_axis; ++d) {
    if (shape[d] == 1) continue;
    const bool reduced = std::binary_search(axes.begin(), axes.end(), d);
    const Kind kind = reduced ? Kind::reduced : Kind::kept;
    int& dims = reduced ? layout.reduced_dims : layout.outer_dims;
    int64_t* sizes = reduced ? reduced_sizes : outer_sizes;
    int64_t* dim_strides = reduced ? layout.reduced_strides : layout.outer_strides;
    if (kind == previous) {  // contiguous with the dim before: merge
      sizes[dims - 1] *= shape[d];
      dim_strides[dims - 1] = strides[d];
    } else {
      DFORGE_CHECK(dims < kMaxGroupDims, op, ": too many alternating reduced and kept axes in ",
                   shape_str(shape), " for the CUDA kernel (at most ", kMaxGroupDims, " of each kind)");
      sizes[dims] = shape[d];
      dim_strides[dims] = strides[d];
      ++dims;
    }
    previous = kind;
    (reduced ? layout.count : layout.outer_count) *= shape[d];
  }
  if (layout.reduced_dims == 0) {  // every reduced dim has size 1: one element per group
    layout.reduced_dims = 1;
    reduced_sizes[0] = 1;
    layout.reduced_strides[0] = 0;
  }
  for (int d = 0; d < layout.outer_dims; ++d)
    layout.outer_sizes[d] = IndexDivider(outer_sizes[d], layout.outer_count - 1);
  for (int d = 0; d < layout.reduced_dims; ++d)
    layout.reduced_sizes[d] = IndexDivider(reduced_sizes[d], layout.count - 1);
  return layout;
}

}  // namespace dforge
