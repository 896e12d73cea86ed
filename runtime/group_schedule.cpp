#include "runtime/group_schedule.h"

#include <algorithm>
#include <climits>

#include "runtime/error.h"

namespace dforge {

namespace {

int next_power_of_two(int64_t value, int limit) {
  int power = 1;
  while (power < value && power < limit) power *= 2;
  return power;
}

}  // namespace

GroupGeometry plan_group_geometry(const GroupLayout& layout, int multiprocessors) {
  GroupGeometry geometry;
  geometry.lane_width = next_power_of_two(layout.lanes, 32);
  const int most_rows = kGroupBlockThreads / geometry.lane_width;
  const int fewest_rows = 32 / geometry.lane_width;  // a block is at least one full warp
  geometry.rows = std::clamp(next_power_of_two(layout.count, most_rows), fewest_rows, most_rows);
  geometry.lane_blocks = (layout.lanes + geometry.lane_width - 1) / geometry.lane_width;
  const int64_t group_blocks = layout.outer_count * geometry.lane_blocks;
  const int64_t wanted_blocks = int64_t(multiprocessors) * 2048 / geometry.threads();
  if (group_blocks > 0 && group_blocks < wanted_blocks && layout.count > 0) {
    const int64_t most_splits = std::max<int64_t>(1, layout.count / (int64_t(geometry.rows) * 4));
    geometry.splits = std::min((wanted_blocks + group_blocks - 1) / group_blocks, most_splits);
  }
  geometry.chunk = std::max<int64_t>(1, (layout.count + geometry.splits - 1) / geometry.splits);
  geometry.splits = std::max<int64_t>(1, (layout.count + geometry.chunk - 1) / geometry.chunk);
  DFORGE_CHECK(geometry.blocks(layout) <= INT_MAX, "group reduction: ", geometry.blocks(layout),
               " blocks exceed the CUDA grid limit");
  return geometry;
}

}  // namespace dforge
