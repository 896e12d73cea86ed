// CUDA separable linear maps (see separable.cuh): Y = A_h X A_w^T per plane, one thread per output
// element, and a plain gather in the input's dtype when both maps only copy or zero samples.
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/cuda/common.cuh"
#include "runtime/cuda/separable.cuh"
#include "runtime/index_divider.h"

namespace dforge::cuda {

namespace {

// A map's arrays in device memory: out[o] = sum over t in [row_starts[o], row_starts[o + 1]) of
// weights[t] * in[indices[t]]; `selected` (for selection maps) is the input each output copies, -1
// for zero.
struct DeviceAxisMap {
  const int64_t* row_starts;
  const int64_t* indices;
  const double* weights;
  const int64_t* selected;
};

// Device copies of every map seen so far, keyed by the map's bytes. Never destroyed (as the
// allocator): its tensors may outlive any static teardown order.
class AxisMapCache {
 public:
  DeviceAxisMap get(const AxisMap& map) {
    const int64_t outputs = map.outputs(), taps = map.row_starts()[outputs];
    const std::vector<int64_t> selected = map.is_selection() ? map.selected_inputs() : std::vector<int64_t>();
    std::string bytes;
    append(bytes, map.row_starts(), outputs + 1);
    append(bytes, map.indices(), taps);
    append(bytes, map.weights(), taps);
    append(bytes, selected.data(), int64_t(selected.size()));
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = entries_.find(bytes);
    if (found == entries_.end()) {
      Entry entry;
      entry.storage = Tensor::empty({int64_t(bytes.size())}, DType::u8, Device::cuda());
      DFORGE_CUDA_CHECK(
          cudaMemcpyAsync(entry.storage.raw(), bytes.data(), bytes.size(), cudaMemcpyHostToDevice, stream()));
      const char* base = static_cast<const char*>(entry.storage.raw());
      const size_t row_bytes = size_t(outputs + 1) * sizeof(int64_t),
                   tap_bytes = size_t(taps) * sizeof(int64_t);
      entry.map.row_starts = reinterpret_cast<const int64_t*>(base);
      entry.map.indices = reinterpret_cast<const int64_t*>(base + row_bytes);
      entry.map.weights = reinterpret_cast<const double*>(base + row_bytes + tap_bytes);
      entry.map.selected = reinterpret_cast<const int64_t*>(base + row_bytes + 2 * tap_bytes);
      found = entries_.emplace(std::move(bytes), std::move(entry)).first;
    }
    return found->second.map;
  }

 private:
  struct Entry {
    Tensor storage;
    DeviceAxisMap map;
  };

  template <typename Value>
  static void append(std::string& bytes, const Value* values, int64_t count) {
    bytes.append(reinterpret_cast<const char*>(values), size_t(count) * sizeof(Value));
  }

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

AxisMapCache& cache() {
  static AxisMapCache* instance = new AxisMapCache();
  return *instance;
}

// The planes' sizes; the output's also as IndexDividers, to split an output index into (plane, i, j).
struct PlaneSizes {
  int64_t in_h, in_w, out_h, out_w;
  IndexDivider out_h_divider, out_w_divider;
};

// Y[i, j] = X[row_source[i], column_source[j]], or 0 where either is -1.
template <typename T>
__global__ void copy_selected_kernel(DeviceAxisMap rows, DeviceAxisMap columns, PlaneSizes sizes, const T* in,
                                     T* out, int64_t count) {
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    const auto [plane_row, j] = sizes.out_w_divider.divide(index);
    const auto [plane, i] = sizes.out_h_divider.divide(plane_row);
    const int64_t row = rows.selected[i], column = columns.selected[j];
    out[index] = row < 0 || column < 0 ? T(0) : in[(plane * sizes.in_h + row) * sizes.in_w + column];
  }
}

// Y[i, j] = sum_b A_w[j, b] (sum_a A_h[i, a] X[a, b]), in double, in the CPU's order.
template <typename T>
__global__ void combine_kernel(DeviceAxisMap rows, DeviceAxisMap columns, PlaneSizes sizes, const T* in,
                               T* out, int64_t count) {
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    const auto [plane_row, j] = sizes.out_w_divider.divide(index);
    const auto [plane, i] = sizes.out_h_divider.divide(plane_row);
    const T* source = in + plane * sizes.in_h * sizes.in_w;
    double total = 0;
    for (int64_t column_tap = columns.row_starts[j]; column_tap < columns.row_starts[j + 1]; ++column_tap) {
      const int64_t b = columns.indices[column_tap];
      double mixed = 0;
      for (int64_t row_tap = rows.row_starts[i]; row_tap < rows.row_starts[i + 1]; ++row_tap) {
        mixed += rows.weights[row_tap] * double(source[rows.indices[row_tap] * sizes.in_w + b]);
      }
      total += columns.weights[column_tap] * mixed;
    }
    out[index] = T(total);
  }
}

}  // namespace

void apply_separable(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out) {
  PlaneSizes sizes{rows.inputs(), columns.inputs(), rows.outputs(), columns.outputs(), {}, {}};
  DFORGE_CHECK(x.size(-2) == sizes.in_h && x.size(-1) == sizes.in_w && out.size(-2) == sizes.out_h &&
                   out.size(-1) == sizes.out_w,
               "apply_separable: maps ", sizes.out_h, "x", sizes.in_h, " and ", sizes.out_w, "x", sizes.in_w,
               " do not fit ", x.describe(), " -> ", out.describe());
  if (out.numel() == 0) return;
  sizes.out_w_divider = IndexDivider(sizes.out_w, out.numel() - 1);
  sizes.out_h_divider = IndexDivider(sizes.out_h, (out.numel() - 1) / sizes.out_w);
  const DeviceAxisMap row_map = cache().get(rows), column_map = cache().get(columns);
  const bool selection = rows.is_selection() && columns.is_selection();
  dispatch_floating(x.dtype(), "apply_separable", [&]<typename T>() {
    if (selection) {
      launch_for(out.numel(), copy_selected_kernel<T>, row_map, column_map, sizes, x.data<T>(), out.data<T>(),
                 out.numel());
    } else {
      launch_for(out.numel(), combine_kernel<T>, row_map, column_map, sizes, x.data<T>(), out.data<T>(),
                 out.numel());
    }
  });
}

void apply_separable_transposed(const AxisMap& rows, const AxisMap& columns, const Tensor& x,
                                Tensor& out) {
  cuda::apply_separable(rows.transposed(), columns.transposed(), x, out);
}

}  // namespace dforge::cuda
