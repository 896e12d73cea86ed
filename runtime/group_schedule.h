// How a grid of CUDA blocks walks the groups of a GroupLayout (runtime/group_layout.h), as the
// reductions of runtime/cuda/group_reduce.cuh launch it. Host and device code, so the CPU tests can
// play every (block, thread) of a launch and check that each element is visited exactly once.
//
// A block handles up to 32 neighbouring lanes of one outer index, and `rows` threads per lane walk
// the group's elements (r = row, row + rows, ...), so a warp always reads consecutive addresses:
// neighbouring lanes when lanes > 1, neighbouring elements of the innermost reduced dim otherwise.
// A group too large for one block is cut into `splits` chunks, each reduced by its own block into
// a partial that a second kernel folds. Blocks are numbered (outer, lane block, split), split fastest.
#pragma once

#include <cstdint>

#include "runtime/group_layout.h"
#include "runtime/host_device.h"

namespace dforge {

constexpr int kGroupBlockThreads = 256;  // the most threads a group-reduction block has

struct GroupGeometry {
  int lane_width = 1;  // lanes per block (a power of two <= 32)
  int rows = 1;        // threads per lane; lane_width * rows is a multiple of 32, at most 256
  int64_t lane_blocks = 1, splits = 1, chunk = 1;  // chunk: elements of a group per split

  int threads() const { return lane_width * rows; }
  int64_t blocks(const GroupLayout& layout) const { return layout.outer_count * lane_blocks * splits; }
};

// Splits large groups until a GPU with `multiprocessors` SMs has about 2048 threads per SM to run,
// keeping at least 4 elements per thread. Throws when the grid would exceed CUDA's block limit.
GroupGeometry plan_group_geometry(const GroupLayout& layout, int multiprocessors);

// Where one thread works: its group, the group's first element and its share [begin, end) of the
// group's elements, which it visits from begin + row in steps of `rows`.
struct GroupPosition {
  int64_t group, base, split, begin, end;
  int row;
  bool active;  // false for the padding lanes of the last lane block
};

DFORGE_HOST_DEVICE GroupPosition locate(const GroupLayout& layout, const GroupGeometry& geometry, int64_t block,
                                        int thread) {
  GroupPosition position;
  position.split = block % geometry.splits;
  const int64_t group_block = block / geometry.splits;
  const int64_t outer = group_block / geometry.lane_blocks;
  const int64_t lane = (group_block % geometry.lane_blocks) * geometry.lane_width + thread % geometry.lane_width;
  position.row = thread / geometry.lane_width;
  position.active = lane < layout.lanes;
  position.group = outer * layout.lanes + lane;
  position.base = layout.outer_offset(outer) + lane;
  position.begin = position.split * geometry.chunk;
  position.end = position.begin + geometry.chunk < layout.count ? position.begin + geometry.chunk : layout.count;
  return position;
}

}  // namespace dforge
