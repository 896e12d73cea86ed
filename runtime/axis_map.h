// AxisMap: a sparse 1-D linear map between sample positions along one image dim, built on the
// host. Pooling, resizing and padding are each a pair of these (runtime/separable_maps.h), run by
// runtime/cpu/separable.h on the CPU and runtime/cuda/separable.cuh on the GPU.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dforge {

// A sparse 1-D linear map from `inputs` samples to `outputs` samples, stored row by row:
//   out[o] = sum over t in [row_start[o], row_start[o + 1]) of weight[t] * in[index[t]].
class AxisMap {
 public:
  explicit AxisMap(int64_t inputs) : inputs_(inputs) {}

  // Appends a tap to the row being built; end_row() closes it (a row may have no taps: output 0).
  void add_tap(int64_t input, double weight);
  void end_row() { row_start_.push_back(int64_t(index_.size())); }

  int64_t inputs() const { return inputs_; }
  int64_t outputs() const { return int64_t(row_start_.size()) - 1; }
  int64_t row_begin(int64_t output) const { return row_start_[size_t(output)]; }
  int64_t row_end(int64_t output) const { return row_start_[size_t(output) + 1]; }
  int64_t index(int64_t tap) const { return index_[size_t(tap)]; }
  double weight(int64_t tap) const { return weight_[size_t(tap)]; }
  // The raw arrays, for inner loops (outputs() + 1 row starts; one index and weight per tap).
  const int64_t* row_starts() const { return row_start_.data(); }
  const int64_t* indices() const { return index_.data(); }
  const double* weights() const { return weight_.data(); }

  // True when every row has at most one tap, of weight 1: the map only copies or zeroes samples
  // (padding, nearest upsampling), so it can run as a plain gather in the input's dtype.
  bool is_selection() const;
  // For a selection map: the input each output copies, or -1 where the output is zero.
  std::vector<int64_t> selected_inputs() const;

  // The adjoint map A^T (inputs and outputs swapped); each of its rows lists its taps in
  // ascending order of the original output, which fixes the summation order of every backward.
  AxisMap transposed() const;

 private:
  int64_t inputs_;
  std::vector<int64_t> row_start_ = {0};
  std::vector<int64_t> index_;
  std::vector<double> weight_;
};

}  // namespace dforge
