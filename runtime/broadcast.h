// Index arithmetic for broadcasting: an output of shape S and up to three inputs whose shapes
// broadcast to S. Dims of size 1 get stride 0; adjacent dims that are contiguous in every operand
// are merged so the innermost loop is as long as possible. Plain struct, copied into CUDA kernels;
// each dim's size is an IndexDivider, so a GPU thread splits its flat index into coordinates with
// multiplies instead of divisions.
#pragma once

#include <cstdint>

#include "runtime/host_device.h"
#include "runtime/index_divider.h"
#include "runtime/shape.h"

namespace dforge {

constexpr int kMaxBroadcastDims = 8;
constexpr int kMaxBroadcastInputs = 3;

struct BroadcastPlan {
  int ndim = 0;      // after merging; at least 1
  int inputs = 0;
  IndexDivider sizes[kMaxBroadcastDims] = {};
  int64_t strides[kMaxBroadcastInputs][kMaxBroadcastDims] = {};  // in elements, 0 = broadcast

  // Element offset in input `k` of the output element with flat index `index`.
  DFORGE_HOST_DEVICE int64_t offset(int k, int64_t index) const {
    return strided_offset(index, ndim, sizes, strides[k]);
  }
};

// Plans the broadcast of `input_shapes` (1 to 3) to `output_shape`; the shapes must be compatible.
BroadcastPlan plan_broadcast(const Shape& output_shape, const Shape* input_shapes, int inputs);

}  // namespace dforge
