// CPU separable linear maps (see separable.h): Y = A_h X A_w^T per plane, and its adjoint.
#include "runtime/cpu/separable.h"

#include "runtime/error.h"

namespace dforge::cpu {

namespace {
constexpr int64_t kParallelThreshold = 32768;  // output elements below which one thread is faster
}  // namespace

void AxisMap::add_tap(int64_t input, double weight) {
  DFORGE_CHECK(input >= 0 && input < inputs_, "AxisMap: tap index ", input, " outside [0, ", inputs_, ")");
  index_.push_back(input);
  weight_.push_back(weight);
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

void apply_separable(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out) {
  const int64_t in_h = rows.inputs(), in_w = columns.inputs();
  const int64_t out_h = rows.outputs(), out_w = columns.outputs();
  DFORGE_CHECK(x.size(-2) == in_h && x.size(-1) == in_w && out.size(-2) == out_h && out.size(-1) == out_w,
               "apply_separable: maps ", out_h, "x", in_h, " and ", out_w, "x", in_w, " do not fit ",
               x.describe(), " -> ", out.describe());
  if (out.numel() == 0) return;
  const int64_t output_rows = out.numel() / out_w;  // planes * out_h
  dispatch_floating(x.dtype(), "apply_separable", [&]<typename T>() {
    const T* in = x.data<T>();
    T* result = out.data<T>();
#pragma omp parallel for if (out.numel() > kParallelThreshold)
    for (int64_t output_row = 0; output_row < output_rows; ++output_row) {
      const int64_t plane = output_row / out_h, i = output_row % out_h;
      const T* source = in + plane * in_h * in_w;
      T* target = result + output_row * out_w;
      for (int64_t j = 0; j < out_w; ++j) {
        // Y[i, j] = sum_a A_h[i, a] (sum_b A_w[j, b] X[a, b])
        double total = 0;
        for (int64_t row_tap = rows.row_begin(i); row_tap < rows.row_end(i); ++row_tap) {
          const T* line = source + rows.index(row_tap) * in_w;
          double line_total = 0;
          for (int64_t column_tap = columns.row_begin(j); column_tap < columns.row_end(j); ++column_tap) {
            line_total += columns.weight(column_tap) * double(line[columns.index(column_tap)]);
          }
          total += rows.weight(row_tap) * line_total;
        }
        target[j] = T(total);
      }
    }
  });
}

void apply_separable_transposed(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out) {
  apply_separable(rows.transposed(), columns.transposed(), x, out);
}

}  // namespace dforge::cpu
