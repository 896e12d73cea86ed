// CPU shape ops. Every op views its tensors as [outer, axis, inner] around the axis it works on,
// so the data it moves is whole rows of `inner` contiguous elements. Pure copies: each output
// element is written exactly once, by one thread, so the results are deterministic.
#include "runtime/shape_ops.h"

#include <algorithm>
#include <cstring>

namespace dforge::cpu {

namespace {
constexpr int64_t kParallelThreshold = 32768;  // elements; below this threads cost more than they save

// A tensor of `shape` seen as [outer, shape[axis], inner].
struct AxisView {
  int64_t outer = 1, size = 1, inner = 1;
  AxisView(const Shape& shape, int axis) {
    for (int d = 0; d < axis; ++d) outer *= shape[d];
    size = shape[axis];
    for (int d = axis + 1; d < int(shape.size()); ++d) inner *= shape[d];
  }
};

char* bytes(const Tensor& tensor) { return static_cast<char*>(tensor.raw()); }

// Copies `rows` rows of `row_bytes` bytes from source (rows `source_stride` bytes apart) to target
// (`target_stride` apart). Threads share the work in pieces of at most kPieceBytes, so a few long
// rows (cat along channels at batch 1 is one row per input) are copied in parallel too.
void copy_rows(char* target, size_t target_stride, const char* source, size_t source_stride, int64_t rows,
               size_t row_bytes) {
  constexpr size_t kPieceBytes = size_t(256) << 10;
  const int64_t pieces_per_row = int64_t((row_bytes + kPieceBytes - 1) / kPieceBytes);
  const int64_t pieces = rows * pieces_per_row;
#pragma omp parallel for if (rows * row_bytes > size_t(kParallelThreshold) * 4)
  for (int64_t p = 0; p < pieces; ++p) {
    const int64_t row = p / pieces_per_row;
    const size_t start = size_t(p % pieces_per_row) * kPieceBytes;
    std::memcpy(target + row * target_stride + start, source + row * source_stride + start,
                std::min(kPieceBytes, row_bytes - start));
  }
}
}  // namespace

// out[o, offset_k + j, :] = xs[k][o, j, :], where offset_k is the total size of xs[0..k) on the axis.
void cat(const std::vector<Tensor>& xs, int axis, Tensor& out) {
  const AxisView out_view(out.shape(), axis);
  const size_t element = dtype_size(out.dtype());
  const size_t out_row = size_t(out_view.size * out_view.inner) * element;
  size_t offset = 0;
  for (const Tensor& x : xs) {
    const size_t row = size_t(AxisView(x.shape(), axis).size * out_view.inner) * element;
    if (row == 0) continue;  // an empty piece adds nothing
    copy_rows(bytes(out) + offset, out_row, bytes(x), row, out_view.outer, row);
    offset += row;
  }
}

// outs[k][o, j, :] = x[o, offset_k + j, :]: cat run backwards.
void split(const Tensor& x, int axis, std::vector<Tensor>& outs) {
  const AxisView view(x.shape(), axis);
  const size_t element = dtype_size(x.dtype());
  const size_t in_row = size_t(view.size * view.inner) * element;
  size_t offset = 0;
  for (Tensor& out : outs) {
    const size_t row = size_t(AxisView(out.shape(), axis).size * view.inner) * element;
    if (row == 0) continue;
    copy_rows(bytes(out), row, bytes(x) + offset, in_row, view.outer, row);
    offset += row;
  }
}

// out[o, i, :] = x[o, start + i * step, :]
void slice(const Tensor& x, int axis, const runtime::SliceRange& range, Tensor& out) {
  if (out.numel() == 0) return;
  const AxisView view(x.shape(), axis);
  const size_t element = dtype_size(x.dtype());
  const size_t row = size_t(view.inner) * element;
  const char* source = bytes(x);
  char* target = bytes(out);
#pragma omp parallel for if (out.numel() > kParallelThreshold)
  for (int64_t o = 0; o < view.outer; ++o) {
    for (int64_t i = 0; i < range.length; ++i) {
      const int64_t from = o * view.size + range.start + i * range.step;
      std::memcpy(target + (o * range.length + i) * row, source + from * row, row);
    }
  }
}

// out[o, j, :] = gradient[o, (j - start) / step, :] where j is one of the sliced positions, else 0.
void slice_backward(const Tensor& gradient, int axis, const runtime::SliceRange& range, Tensor& out) {
  dispatch_any(gradient.dtype(), "slice_backward", [&]<typename T>() {
    const AxisView view(out.shape(), axis);
    const T* source = gradient.data<T>();
    T* target = out.data<T>();
    const int64_t inner = view.inner;
#pragma omp parallel for if (out.numel() > kParallelThreshold)
    for (int64_t o = 0; o < view.outer; ++o) {
      for (int64_t j = 0; j < view.size; ++j) {
        T* row = target + (o * view.size + j) * inner;
        const int64_t distance = j - range.start;
        const int64_t i = distance / range.step;
        if (distance >= 0 && distance % range.step == 0 && i < range.length) {
          std::memcpy(row, source + (o * range.length + i) * inner, size_t(inner) * sizeof(T));
        } else {
          std::fill(row, row + inner, T(0));
        }
      }
    }
  });
}

// out[c_0, ..., c_n] = x[...] with x's coordinate order[d] equal to c_d. Walks the output row by row;
// along the output's last axis the input offset advances by the stride of x's axis order[last].
void permute(const Tensor& x, const std::vector<int>& order, Tensor& out) {
  dispatch_any(x.dtype(), "permute", [&]<typename T>() {
    const T* source = x.data<T>();
    T* target = out.data<T>();
    const int ndim = out.ndim();
    if (ndim == 0 || out.numel() == 0) {
      if (ndim == 0) target[0] = source[0];
      return;
    }
    const Shape in_strides = contiguous_strides(x.shape());
    Shape strides(size_t(ndim), 0);  // input stride of each output axis
    for (int d = 0; d < ndim; ++d) strides[d] = in_strides[order[d]];
    const Shape& shape = out.shape();
    const int64_t inner = shape[ndim - 1], inner_stride = strides[ndim - 1];
    const int64_t rows = out.numel() / inner;
#pragma omp parallel for if (out.numel() > kParallelThreshold)
    for (int64_t r = 0; r < rows; ++r) {
      int64_t offset = 0, rest = r;
      for (int d = ndim - 2; d >= 0; --d) {
        offset += (rest % shape[d]) * strides[d];
        rest /= shape[d];
      }
      T* row = target + r * inner;
      for (int64_t i = 0; i < inner; ++i) row[i] = source[offset + i * inner_stride];
    }
  });
}

// out[o, c, i] = (target[o, i] == c), with the class axis inserted at `axis`.
void one_hot(const Tensor& target, int axis, Tensor& out) {
  dispatch_floating(out.dtype(), "one_hot", [&]<typename T>() {
    const AxisView view(out.shape(), axis);
    const int32_t* labels = target.data<int32_t>();
    T* result = out.data<T>();
#pragma omp parallel for if (out.numel() > kParallelThreshold)
    for (int64_t o = 0; o < view.outer; ++o) {
      for (int64_t c = 0; c < view.size; ++c) {
        T* row = result + (o * view.size + c) * view.inner;
        const int32_t* label = labels + o * view.inner;
        for (int64_t i = 0; i < view.inner; ++i) row[i] = T(label[i] == c);
      }
    }
  });
}

}  // namespace dforge::cpu
