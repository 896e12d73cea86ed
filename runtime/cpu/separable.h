// Separable linear maps of image planes: the CPU machinery behind every linear op of the pool,
// resize and pad families. Each of those ops is, per (n, c) plane X of size in_h x in_w,
//   Y = A_h X A_w^T          (Y[i, j] = sum_a sum_b A_h[i, a] A_w[j, b] X[a, b])
// with A_h (out_h x in_h) and A_w (out_w x in_w) sparse 1-D maps: avg pooling, adaptive pooling,
// nearest and bilinear upsampling and the three padding modes differ only in those two matrices.
// The adjoint is X' = A_h^T Y' A_w, the same routine run with the transposed maps, so every
// backward is a gather (each input element sums the outputs that touch it, in ascending output
// order): one writer per element, deterministic, no atomics needed when ported to CUDA.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/tensor.h"

namespace dforge::cpu {

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

// out[p] = rows * x[p] * columns^T for every plane p over the last two dims of x and out.
// Requires rows.inputs() == x.size(-2), columns.inputs() == x.size(-1), rows.outputs() ==
// out.size(-2), columns.outputs() == out.size(-1), the same plane count and a floating dtype.
// Sums in double in a fixed order (rows first, then columns); every output element is written
// (zero when it has no taps).
void apply_separable(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out);

// The adjoint: out[p] = rows^T * x[p] * columns, where x has the maps' output sizes and out their
// input sizes.
void apply_separable_transposed(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out);

}  // namespace dforge::cpu
