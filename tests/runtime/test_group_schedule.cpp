// The launch of a group reduction played on the CPU: every (block, thread) of the grid that
// plan_group_geometry() plans, through the same locate() the CUDA kernels call. Each element of
// the tensor must be visited exactly once, by a thread of its own group, and each (group, split)
// partial must be written by exactly one thread.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "runtime/group_schedule.h"

using namespace dforge;

namespace {

// Group of each element, numbered row-major over the kept dims.
std::vector<int64_t> group_of_elements(const Shape& shape, const std::vector<int>& axes) {
  std::vector<int64_t> groups(size_t(numel_of(shape)));
  for (int64_t index = 0; index < int64_t(groups.size()); ++index) {
    int64_t rest = index, group = 0, scale = 1;
    for (int d = int(shape.size()) - 1; d >= 0; --d) {
      const int64_t coordinate = rest % shape[d];
      rest /= shape[d];
      if (!std::binary_search(axes.begin(), axes.end(), d)) {
        group += coordinate * scale;
        scale *= shape[d];
      }
    }
    groups[index] = group;
  }
  return groups;
}

struct Played {
  int64_t wrong_group = 0, twice = 0, missed = 0, partial_writers_wrong = 0;
};

Played play(const Shape& shape, const std::vector<int>& axes, int multiprocessors) {
  const GroupLayout layout = make_group_layout(shape, axes, "test");
  const GroupGeometry geometry = plan_group_geometry(layout, multiprocessors);
  const std::vector<int64_t> expected_group = group_of_elements(shape, axes);
  std::vector<int> visits(expected_group.size(), 0), partial_writes(size_t(layout.groups() * geometry.splits), 0);
  Played played;
  for (int64_t block = 0; block < geometry.blocks(layout); ++block) {
    for (int thread = 0; thread < geometry.threads(); ++thread) {
      const GroupPosition at = locate(layout, geometry, block, thread);
      if (!at.active) continue;
      for (int64_t r = at.begin + at.row; r < at.end; r += geometry.rows) {
        const int64_t offset = at.base + layout.reduced_offset(r);
        ++visits[offset];
        played.wrong_group += expected_group[offset] != at.group;
      }
      if (thread < geometry.lane_width) ++partial_writes[at.group * geometry.splits + at.split];  // the finishers
    }
  }
  for (int count : visits) {
    played.twice += count > 1;
    played.missed += count == 0;
  }
  for (int count : partial_writes) played.partial_writers_wrong += count != 1;
  return played;
}

}  // namespace

TEST_CASE("group schedule: every element once, by its own group, every partial by one thread",
          "[runtime][group_schedule]") {
  struct Case {
    Shape shape;
    std::vector<int> axes;
  };
  const std::vector<Case> cases = {
      {{8, 16, 12, 12}, {0, 2, 3}},  // batch norm: one group per channel, split across blocks
      {{4, 6, 9, 11}, {2, 3}},       // instance norm
      {{3, 40, 7}, {1}},             // softmax over channels: 7 lanes, a padded lane block
      {{2, 5, 37}, {1}},             // 37 lanes: two lane blocks of 32
      {{1, 3000}, {1}},              // one long row: many splits
      {{6, 1, 5}, {1}},              // one element per group
      {{2, 3, 4, 5, 6}, {0, 2, 4}},  // alternating kept and reduced dims
      {{5, 0, 3}, {1}},              // empty groups
      {{5, 0, 3}, {0}},              // no groups
  };
  for (const Case& c : cases) {
    for (int multiprocessors : {1, 132}) {
      INFO("shape " << shape_str(c.shape) << ", " << multiprocessors << " multiprocessors");
      const Played played = play(c.shape, c.axes, multiprocessors);
      CHECK(played.wrong_group == 0);
      CHECK(played.twice == 0);
      CHECK(played.missed == 0);
      CHECK(played.partial_writers_wrong == 0);
    }
  }
}

TEST_CASE("group schedule: splits a long group for a large GPU, not for a busy one", "[runtime][group_schedule]") {
  const GroupLayout layout = make_group_layout({1, 1 << 20}, {1}, "test");
  CHECK(plan_group_geometry(layout, 132).splits > 1);
  const GroupLayout many = make_group_layout({1 << 16, 64}, {1}, "test");
  CHECK(plan_group_geometry(many, 132).splits == 1);
}
