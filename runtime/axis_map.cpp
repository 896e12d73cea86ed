// AxisMap (see axis_map.h): building rows of taps, selection queries and the adjoint.
#include "runtime/axis_map.h"

#include "runtime/error.h"

namespace dforge {

void AxisMap::add_tap(int64_t input, double weight) {
  DFORGE_CHECK(input >= 0 && input < inputs_, "AxisMap: tap index ", input, " outside [0, ", inputs_, ")");
  index_.push_back(input);
  weight_.push_back(weight);
}

bool AxisMap::is_selection() const {
  for (int64_t output = 0; output < outputs(); ++output) {
    const int64_t taps = row_end(output) - row_begin(output);
    if (taps > 1 || (taps == 1 && weight(row_begin(output)) != 1.0)) return false;
  }
  return true;
}

std::vector<int64_t> AxisMap::selected_inputs() const {
  std::vector<int64_t> selected(size_t(outputs()), -1);
  for (int64_t output = 0; output < outputs(); ++output) {
    if (row_end(output) > row_begin(output)) selected[size_t(output)] = index(row_begin(output));
  }
  return selected;
}

AxisMap AxisMap::transposed() const {
  // Counting sort of the taps by input index; walking outputs in ascending order keeps each new
  // row sorted by the original output.
  AxisMap adjoint(outputs());
  std::vector<int64_t> counts(size_t(inputs_) + 1, 0);
  for (int64_t input : index_) ++counts[size_t(input) + 1];
  for (size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
  adjoint.row_start_ = counts;
  adjoint.index_.resize(index_.size());
  adjoint.weight_.resize(weight_.size());
  std::vector<int64_t> next(counts.begin(), counts.end() - 1);
  for (int64_t output = 0; output < outputs(); ++output) {
    for (int64_t tap = row_begin(output); tap < row_end(output); ++tap) {
      const size_t slot = size_t(next[size_t(index(tap))]++);
      adjoint.index_[slot] = output;
      adjoint.weight_[slot] = weight(tap);
    }
  }
  return adjoint;
}

}  // namespace dforge
