// CPU separable linear maps (see separable.h): Y = A_h X A_w^T per plane, and its adjoint.
#include "runtime/cpu/separable.h"

#include <algorithm>

#include "runtime/error.h"

namespace dforge::cpu {

namespace {
constexpr int64_t kParallelThreshold = 32768;  // output elements below which one thread is faster

// Both maps are selections: Y[i, j] = X[row_source[i], column_source[j]], or 0 where either is -1.
template <typename T>
void copy_selected(const AxisMap& rows, const AxisMap& columns, const T* in, T* result, int64_t output_rows) {
  const int64_t in_h = rows.inputs(), in_w = columns.inputs(), out_h = rows.outputs(), out_w = columns.outputs();
  const std::vector<int64_t> row_source = rows.selected_inputs(), column_source = columns.selected_inputs();
#pragma omp parallel for if (output_rows * out_w > kParallelThreshold)
  for (int64_t output_row = 0; output_row < output_rows; ++output_row) {
    const int64_t plane = output_row / out_h, source_row = row_source[size_t(output_row % out_h)];
    T* target = result + output_row * out_w;
    if (source_row < 0) {
      std::fill(target, target + out_w, T(0));
      continue;
    }
    const T* line = in + (plane * in_h + source_row) * in_w;
    for (int64_t j = 0; j < out_w; ++j) {
      const int64_t column = column_source[size_t(j)];
      target[j] = column < 0 ? T(0) : line[column];
    }
  }
}

// The general case: Y[i, j] = sum_b A_w[j, b] (sum_a A_h[i, a] X[a, b]), summed in double.
template <typename T>
void combine(const AxisMap& rows, const AxisMap& columns, const T* in, T* result, int64_t output_rows) {
  const int64_t in_h = rows.inputs(), in_w = columns.inputs(), out_h = rows.outputs(), out_w = columns.outputs();
  const int64_t* column_start = columns.row_starts();
  const int64_t* column_index = columns.indices();
  const double* column_weight = columns.weights();
#pragma omp parallel if (output_rows * out_w > kParallelThreshold)
  {
    std::vector<double> mixed(static_cast<size_t>(in_w));  // one input-width row, per thread
#pragma omp for
    for (int64_t output_row = 0; output_row < output_rows; ++output_row) {
      const int64_t plane = output_row / out_h, i = output_row % out_h;
      const T* source = in + plane * in_h * in_w;
      T* target = result + output_row * out_w;
      // Rows first: mixed[b] = sum_a A_h[i, a] X[a, b] (contiguous, vectorised).
      std::fill(mixed.begin(), mixed.end(), 0.0);
      for (int64_t row_tap = rows.row_begin(i); row_tap < rows.row_end(i); ++row_tap) {
        const double weight = rows.weight(row_tap);
        const T* line = source + rows.index(row_tap) * in_w;
        for (int64_t b = 0; b < in_w; ++b) mixed[size_t(b)] += weight * double(line[b]);
      }
      // Then columns: Y[i, j] = sum_b A_w[j, b] mixed[b].
      const double* row = mixed.data();
      for (int64_t j = 0; j < out_w; ++j) {
        double total = 0;
        for (int64_t tap = column_start[j]; tap < column_start[j + 1]; ++tap) {
          total += column_weight[tap] * row[column_index[tap]];
        }
        target[j] = T(total);
      }
    }
  }
}

}  // namespace

void apply_separable(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out) {
  const int64_t in_h = rows.inputs(), in_w = columns.inputs();
  const int64_t out_h = rows.outputs(), out_w = columns.outputs();
  DFORGE_CHECK(x.size(-2) == in_h && x.size(-1) == in_w && out.size(-2) == out_h && out.size(-1) == out_w,
               "apply_separable: maps ", out_h, "x", in_h, " and ", out_w, "x", in_w, " do not fit ",
               x.describe(), " -> ", out.describe());
  if (out.numel() == 0) return;
  const int64_t output_rows = out.numel() / out_w;  // planes * out_h
  const bool selection = rows.is_selection() && columns.is_selection();
  dispatch_floating(x.dtype(), "apply_separable", [&]<typename T>() {
    if (selection) copy_selected(rows, columns, x.data<T>(), out.data<T>(), output_rows);
    else combine(rows, columns, x.data<T>(), out.data<T>(), output_rows);
  });
}

void apply_separable_transposed(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out) {
  apply_separable(rows.transposed(), columns.transposed(), x, out);
}

}  // namespace dforge::cpu
