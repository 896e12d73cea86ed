#include "runtime/broadcast.h"

#include "runtime/error.h"

namespace dforge {

BroadcastPlan plan_broadcast(const Shape& output_shape, const Shape* input_shapes, int inputs) {
  const int ndim = int(output_shape.size());
  DFORGE_CHECK(ndim <= kMaxBroadcastDims, "broadcast: at most ", kMaxBroadcastDims, " dims, got ",
               shape_str(output_shape));
  // Right-aligned strides of every input in output coordinates.
  int64_t full_strides[kMaxBroadcastInputs][kMaxBroadcastDims] = {};
  for (int k = 0; k < inputs; ++k) {
    const Shape& shape = input_shapes[k];
    const int offset = ndim - int(shape.size());
    int64_t stride = 1;
    for (int d = ndim - 1; d >= offset; --d) {
      int64_t size = shape[d - offset];
      full_strides[k][d] = size == 1 ? 0 : stride;
      stride *= size;
    }
  }
  BroadcastPlan plan;
  plan.inputs = inputs;
  int64_t sizes[kMaxBroadcastDims] = {};
  // Merge dim d into the current innermost group when every operand is contiguous across them.
  for (int d = 0; d < ndim; ++d) {
    if (output_shape[d] == 1) continue;  // size-1 dims carry no index
    bool mergeable = plan.ndim > 0;
    for (int k = 0; k < inputs && mergeable; ++k) {
      int64_t inner = full_strides[k][d];
      int64_t outer = plan.strides[k][plan.ndim - 1];
      mergeable = outer == inner * output_shape[d];
    }
    if (mergeable) {
      sizes[plan.ndim - 1] *= output_shape[d];
      for (int k = 0; k < inputs; ++k) plan.strides[k][plan.ndim - 1] = full_strides[k][d];
    } else {
      sizes[plan.ndim] = output_shape[d];
      for (int k = 0; k < inputs; ++k) plan.strides[k][plan.ndim] = full_strides[k][d];
      ++plan.ndim;
    }
  }
  if (plan.ndim == 0) {  // a scalar, or all dims of size 1
    plan.ndim = 1;
    sizes[0] = 1;
  }
  const int64_t largest_index = numel_of(output_shape) - 1;  // -1 for an empty output: nothing is divided
  for (int d = 0; d < plan.ndim; ++d) plan.sizes[d] = IndexDivider(sizes[d], largest_index);
  return plan;
}

}  // namespace dforge
