// Groups of elements for reductions over a set of axes, as the GPU kernels walk them
// (runtime/cuda/group_reduce.cuh). A tensor and a sorted set of axes define one group per index of
// the kept axes, exactly as the CPU's NormLayout does (runtime/cpu/norm.cpp): kept dims before the
// last reduced axis index "outer" groups, the kept dims after it are `lanes` contiguous groups that
// sit side by side in memory, and every group has `count` elements. Adjacent dims of one kind are
// merged and dims of size 1 dropped, so the common cases become one or two long loops; each
// remaining size is an IndexDivider, so a thread finds an element's offset with multiplies.
// Plain struct, copied into CUDA kernels; host code (and the CPU tests) can use it as well.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/host_device.h"
#include "runtime/index_divider.h"
#include "runtime/shape.h"

namespace dforge {

constexpr int kMaxGroupDims = 8;

struct GroupLayout {
  int outer_dims = 0, reduced_dims = 0;
  IndexDivider outer_sizes[kMaxGroupDims] = {}, reduced_sizes[kMaxGroupDims] = {};
  int64_t outer_strides[kMaxGroupDims] = {}, reduced_strides[kMaxGroupDims] = {};
  int64_t lanes = 1;        // kept elements after the last reduced axis (contiguous)
  int64_t outer_count = 1;  // groups = outer_count * lanes
  int64_t count = 1;        // elements per group

  DFORGE_HOST_DEVICE int64_t groups() const { return outer_count * lanes; }

  // Offset of the first element of the groups of outer index `outer` (0 <= outer < outer_count).
  DFORGE_HOST_DEVICE int64_t outer_offset(int64_t outer) const {
    return strided_offset(outer, outer_dims, outer_sizes, outer_strides);
  }

  // Offset from the group's first element of its element r (row-major over the reduced dims).
  DFORGE_HOST_DEVICE int64_t reduced_offset(int64_t r) const {
    if (reduced_dims == 1) return r * reduced_strides[0];
    return strided_offset(r, reduced_dims, reduced_sizes, reduced_strides);
  }

  // Offset of the first element of `group`.
  DFORGE_HOST_DEVICE int64_t group_base(int64_t group) const {
    return outer_offset(group / lanes) + group % lanes;
  }
};

// `axes` sorted, unique, non-empty, in range; `op` names the caller in errors.
GroupLayout make_group_layout(const Shape& shape, const std::vector<int>& axes, const char* op);

}  // namespace dforge
