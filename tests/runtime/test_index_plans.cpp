// The index plans the CUDA kernels walk (BroadcastPlan, GroupLayout), checked on the CPU against
// offsets computed the plain way, element by element: the GPU runs the same inline functions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "runtime/broadcast.h"
#include "runtime/group_layout.h"

using namespace dforge;

namespace {

// Row-major coordinates of flat index `index` in `shape`.
std::vector<int64_t> coordinates_of(int64_t index, const Shape& shape) {
  std::vector<int64_t> coordinates(shape.size());
  for (int d = int(shape.size()) - 1; d >= 0; --d) {
    coordinates[d] = index % shape[d];
    index /= shape[d];
  }
  return coordinates;
}

// Flat index in `shape` of the output coordinates `at` (right-aligned, size-1 dims broadcast).
int64_t broadcast_offset(const std::vector<int64_t>& at, const Shape& shape) {
  const size_t skip = at.size() - shape.size();
  int64_t offset = 0;
  for (size_t d = 0; d < shape.size(); ++d) offset = offset * shape[d] + (shape[d] == 1 ? 0 : at[skip + d]);
  return offset;
}

}  // namespace

TEST_CASE("BroadcastPlan: every element's input offsets match the coordinates", "[runtime][index_plans]") {
  struct Case {
    Shape out, a, b, c;
  };
  const std::vector<Case> cases = {
      {{2, 3, 4, 5}, {2, 3, 4, 5}, {3, 1, 1}, {1}},      {{4, 6, 7}, {4, 1, 7}, {6, 1}, {4, 6, 7}},
      {{3, 1, 5, 2}, {1, 1, 5, 1}, {3, 1, 1, 2}, {2}}, {{2, 3, 2, 3, 2}, {2, 1, 2, 1, 2}, {3, 1, 3, 1}, {1, 1}},
      {{7}, {1}, {7}, {7}},                              {{}, {}, {}, {}},
  };
  for (const Case& c : cases) {
    const Shape shapes[3] = {c.a, c.b, c.c};
    const BroadcastPlan plan = plan_broadcast(c.out, shapes, 3);
    int64_t wrong = 0;
    for (int64_t i = 0; i < numel_of(c.out); ++i) {
      const std::vector<int64_t> at = coordinates_of(i, c.out);
      for (int k = 0; k < 3; ++k) wrong += plan.offset(k, i) != broadcast_offset(at, shapes[k]);
    }
    INFO("output " << shape_str(c.out));
    CHECK(wrong == 0);
  }
}

TEST_CASE("BroadcastPlan past 2^32 elements divides in 64 bits", "[runtime][index_plans]") {
  // [2^20, 3, 2^13] + [1, 3, 1]: 2^34.6 output elements, the plan only (nothing allocated).
  const Shape out = {int64_t(1) << 20, 3, int64_t(1) << 13}, row = {1, 3, 1};
  const Shape shapes[2] = {out, row};
  const BroadcastPlan plan = plan_broadcast(out, shapes, 2);
  for (const int64_t i : {int64_t(0), (int64_t(1) << 32) + 5, 3 * (int64_t(1) << 33) - 1, numel_of(out) - 1}) {
    CHECK(plan.offset(0, i) == i);
    CHECK(plan.offset(1, i) == coordinates_of(i, out)[1]);
  }
}

namespace {

// Offset of element r of group g, the plain way: groups are numbered row-major over the kept dims,
// elements row-major over the reduced dims.
struct NaiveGroups {
  std::vector<std::vector<int64_t>> offsets;  // [group][r]
  NaiveGroups(const Shape& shape, const std::vector<int>& axes) {
    int64_t groups = 1, count = 1;
    for (int d = 0; d < int(shape.size()); ++d)
      (std::binary_search(axes.begin(), axes.end(), d) ? count : groups) *= shape[d];
    offsets.assign(groups, std::vector<int64_t>(count));
    for (int64_t index = 0; index < numel_of(shape); ++index) {
      const std::vector<int64_t> at = coordinates_of(index, shape);
      int64_t group = 0, r = 0;
      for (int d = 0; d < int(shape.size()); ++d) {
        if (std::binary_search(axes.begin(), axes.end(), d))
          r = r * shape[d] + at[d];
        else
          group = group * shape[d] + at[d];
      }
      offsets[group][r] = index;
    }
  }
};

}  // namespace

TEST_CASE("GroupLayout: every element of every group at its offset", "[runtime][index_plans]") {
  struct Case {
    Shape shape;
    std::vector<int> axes;
  };
  const std::vector<Case> cases = {
      {{2, 3, 4, 5}, {0, 2, 3}},  // batch norm: reduced N and H W around the kept C
      {{2, 3, 4, 5}, {2, 3}},     // instance norm
      {{2, 3, 4, 5}, {1}},        // softmax over channels: 20 lanes
      {{3, 4, 5, 6, 2}, {0, 2, 4}}, {{3, 4, 5, 6, 2}, {1, 3}}, {{5, 1, 3}, {1}}, {{6}, {0}}, {{4, 1, 1, 3}, {1, 2}},
  };
  for (const Case& c : cases) {
    INFO("shape " << shape_str(c.shape));
    const GroupLayout layout = make_group_layout(c.shape, c.axes, "test");
    const NaiveGroups naive(c.shape, c.axes);
    REQUIRE(layout.groups() == int64_t(naive.offsets.size()));
    REQUIRE(layout.count == int64_t(naive.offsets[0].size()));
    int64_t wrong = 0;
    for (int64_t group = 0; group < layout.groups(); ++group) {
      for (int64_t r = 0; r < layout.count; ++r)
        wrong += layout.group_base(group) + layout.reduced_offset(r) != naive.offsets[group][r];
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("GroupLayout past 2^32 elements divides in 64 bits", "[runtime][index_plans]") {
  // [2^12, 3, 2^22] reduced over 0 and 2: three groups of 2^34 elements (the layout only).
  const Shape shape = {int64_t(1) << 12, 3, int64_t(1) << 22};
  const GroupLayout layout = make_group_layout(shape, {0, 2}, "test");
  REQUIRE(layout.count == int64_t(1) << 34);
  const int64_t r = (int64_t(5) << 22) + 77;  // element (n = 5, hw = 77)
  CHECK(layout.group_base(2) + layout.reduced_offset(r) == (5 * 3 + 2) * (int64_t(1) << 22) + 77);
  CHECK(layout.reduced_offset(layout.count - 1) == ((int64_t(1) << 12) - 1) * 3 * (int64_t(1) << 22) +
                                                       (int64_t(1) << 22) - 1);
}
