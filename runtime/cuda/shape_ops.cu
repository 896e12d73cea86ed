// CUDA shape ops, mirroring runtime/cpu/shape_ops.cpp. Every op sees its tensors as [outer, axis,
// inner] around the axis it works on. cat, split and slice move whole rows of bytes: one
// block-copy kernel in the widest unit (16, 8, 4, 2 or 1 bytes) that every row, offset and pointer
// allows. slice_backward, permute and one_hot are gathers: each output element is written once, by
// one thread, from the input element it comes from (zero where there is none).
#include <initializer_list>

#include "runtime/cuda/common.cuh"
#include "runtime/index_divider.h"
#include "runtime/shape_ops.h"

namespace dforge::cuda {

namespace {

// A tensor of `shape` seen as [outer, shape[axis], inner].
struct AxisView {
  int64_t outer = 1, size = 1, inner = 1;
  AxisView(const Shape& shape, int axis) {
    for (int d = 0; d < axis; ++d) outer *= shape[d];
    size = shape[axis];
    for (int d = axis + 1; d < int(shape.size()); ++d) inner *= shape[d];
  }
};

// target[o TO + i TS + T0 + k] = source[o SO + i SS + S0 + k] for o < outer, i < length, k < width.
struct BlockCopy {
  int64_t outer, length, width;
  int64_t target_outer, target_step, target_offset;
  int64_t source_outer, source_step, source_offset;
};

// `width` and `length` divide the flat index into (o, i, k).
template <typename Unit>
__global__ void copy_blocks_kernel(const Unit* source, Unit* target, BlockCopy copy, IndexDivider width,
                                   IndexDivider length) {
  const int64_t count = copy.outer * copy.length * copy.width;
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    const auto [rest, k] = width.divide(index);
    const auto [o, i] = length.divide(rest);
    target[o * copy.target_outer + i * copy.target_step + copy.target_offset + k] =
        source[o * copy.source_outer + i * copy.source_step + copy.source_offset + k];
  }
}

// The widest power-of-two unit, at most 16 bytes, that divides every quantity (byte counts and
// addresses).
int unit_bytes(std::initializer_list<uint64_t> quantities) {
  uint64_t bits = 16;
  for (uint64_t quantity : quantities) bits |= quantity;
  return int(bits & (~bits + 1));  // lowest set bit
}

template <typename Body>
void dispatch_unit(int unit, Body&& body) {
  switch (unit) {
    case 16:
      return body.template operator()<uint4>();
    case 8:
      return body.template operator()<uint2>();
    case 4:
      return body.template operator()<uint32_t>();
    case 2:
      return body.template operator()<uint16_t>();
    default:
      return body.template operator()<uint8_t>();
  }
}

// `bytes` describes the copy in bytes; it runs in the widest unit all its numbers allow.
void copy_blocks(const void* source, void* target, const BlockCopy& bytes) {
  if (bytes.outer * bytes.length * bytes.width == 0) return;
  const int unit =
      unit_bytes({uint64_t(reinterpret_cast<uintptr_t>(source)),
                  uint64_t(reinterpret_cast<uintptr_t>(target)), uint64_t(bytes.width),
                  uint64_t(bytes.target_outer), uint64_t(bytes.target_step), uint64_t(bytes.target_offset),
                  uint64_t(bytes.source_outer), uint64_t(bytes.source_step), uint64_t(bytes.source_offset)});
  const BlockCopy units{bytes.outer,
                        bytes.length,
                        bytes.width / unit,
                        bytes.target_outer / unit,
                        bytes.target_step / unit,
                        bytes.target_offset / unit,
                        bytes.source_outer / unit,
                        bytes.source_step / unit,
                        bytes.source_offset / unit};
  const int64_t count = units.outer * units.length * units.width;
  dispatch_unit(unit, [&]<typename Unit>() {
    launch_for(count, copy_blocks_kernel<Unit>, static_cast<const Unit*>(source), static_cast<Unit*>(target),
               units, IndexDivider(units.width, count - 1), IndexDivider(units.length, count / units.width - 1));
  });
}

// out[o, j, :] = gradient[o, (j - start) / step, :] on the sliced positions, 0 elsewhere.
template <typename Unit>
__global__ void slice_backward_kernel(const Unit* gradient, Unit* out, int64_t outer, int64_t size,
                                      int64_t width, runtime::SliceRange range) {
  const int64_t count = outer * size * width;
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    const int64_t k = index % width, rest = index / width;
    const int64_t j = rest % size, o = rest / size;
    const int64_t distance = j - range.start;
    const int64_t i = distance / range.step;
    const bool sliced = distance >= 0 && distance % range.step == 0 && i < range.length;
    out[index] = sliced ? gradient[(o * range.length + i) * width + k] : Unit{};
  }
}

constexpr int kMaxPermuteDims = 8;

// Output dims with the input stride of each.
struct PermutePlan {
  int ndim = 0;
  IndexDivider sizes[kMaxPermuteDims] = {};
  int64_t strides[kMaxPermuteDims] = {};
};

template <typename T>
__global__ void permute_kernel(const T* in, T* out, int64_t count, PermutePlan plan) {
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    out[index] = in[strided_offset(index, plan.ndim, plan.sizes, plan.strides)];
  }
}

// Drops dims of size 1 and merges output dims d, d + 1 that are also neighbours, in that order,
// in the input (order[d + 1] == order[d] + 1): they then walk memory as one dim.
PermutePlan plan_permute(const Shape& in_shape, const std::vector<int>& order) {
  const Shape in_strides = contiguous_strides(in_shape);
  PermutePlan plan;
  int64_t sizes[kMaxPermuteDims] = {};
  int previous_axis = -2;
  for (int axis : order) {
    const int64_t size = in_shape[axis];
    if (size == 1) continue;
    if (plan.ndim > 0 && axis == previous_axis + 1) {
      sizes[plan.ndim - 1] *= size;
      plan.strides[plan.ndim - 1] = in_strides[axis];
    } else {
      DFORGE_CHECK(plan.ndim < kMaxPermuteDims, "permute: the CUDA kernel handles at most ", kMaxPermuteDims,
                   " non-mergeable dims, got ", shape_str(in_shape));
      sizes[plan.ndim] = size;
      plan.strides[plan.ndim] = in_strides[axis];
      ++plan.ndim;
    }
    previous_axis = axis;
  }
  for (int d = 0; d < plan.ndim; ++d) plan.sizes[d] = IndexDivider(sizes[d], numel_of(in_shape) - 1);
  return plan;
}

template <typename Body>
void dispatch_element_size(DType dtype, Body&& body) {
  switch (dtype_size(dtype)) {
    case 8:
      return body.template operator()<uint64_t>();
    case 4:
      return body.template operator()<uint32_t>();
    default:
      return body.template operator()<uint8_t>();
  }
}

template <typename T>
__global__ void one_hot_kernel(const int32_t* labels, T* out, int64_t outer, int64_t classes, int64_t inner) {
  const int64_t count = outer * classes * inner;
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    const int64_t i = index % inner, rest = index / inner;
    const int64_t c = rest % classes, o = rest / classes;
    out[index] = T(labels[o * inner + i] == c);
  }
}

}  // namespace

// out[o, offset_k + j, :] = xs[k][o, j, :], where offset_k is the total size of xs[0..k) on the axis.
void cat(const std::vector<Tensor>& xs, int axis, Tensor& out) {
  const AxisView out_view(out.shape(), axis);
  const int64_t element = int64_t(dtype_size(out.dtype()));
  const int64_t out_row = out_view.size * out_view.inner * element;
  int64_t offset = 0;
  for (const Tensor& x : xs) {
    const int64_t row = AxisView(x.shape(), axis).size * out_view.inner * element;
    copy_blocks(x.raw(), out.raw(), {out_view.outer, 1, row, out_row, 0, offset, row, 0, 0});
    offset += row;
  }
}

// outs[k][o, j, :] = x[o, offset_k + j, :]: cat run backwards.
void split(const Tensor& x, int axis, std::vector<Tensor>& outs) {
  const AxisView view(x.shape(), axis);
  const int64_t element = int64_t(dtype_size(x.dtype()));
  const int64_t in_row = view.size * view.inner * element;
  int64_t offset = 0;
  for (Tensor& out : outs) {
    const int64_t row = AxisView(out.shape(), axis).size * view.inner * element;
    copy_blocks(x.raw(), out.raw(), {view.outer, 1, row, row, 0, 0, in_row, 0, offset});
    offset += row;
  }
}

// out[o, i, :] = x[o, start + i * step, :]
void slice(const Tensor& x, int axis, const runtime::SliceRange& range, Tensor& out) {
  const AxisView view(x.shape(), axis);
  const int64_t row = view.inner * int64_t(dtype_size(x.dtype()));
  copy_blocks(x.raw(), out.raw(),
              {view.outer, range.length, row, range.length * row, row, 0, view.size * row, range.step * row,
               range.start * row});
}

void slice_backward(const Tensor& gradient, int axis, const runtime::SliceRange& range, Tensor& out) {
  const AxisView view(out.shape(), axis);
  const int64_t row = view.inner * int64_t(dtype_size(out.dtype()));
  const int unit = unit_bytes({uint64_t(reinterpret_cast<uintptr_t>(gradient.raw())),
                               uint64_t(reinterpret_cast<uintptr_t>(out.raw())), uint64_t(row)});
  dispatch_unit(unit, [&]<typename Unit>() {
    launch_for(out.numel() * int64_t(dtype_size(out.dtype())) / unit, slice_backward_kernel<Unit>,
               static_cast<const Unit*>(gradient.raw()), static_cast<Unit*>(out.raw()), view.outer, view.size,
               row / unit, range);
  });
}

// out[c_0, ..., c_n] = x[...] with x's coordinate order[d] equal to c_d.
void permute(const Tensor& x, const std::vector<int>& order, Tensor& out) {
  const PermutePlan plan = plan_permute(x.shape(), order);
  dispatch_element_size(x.dtype(), [&]<typename T>() {
    launch_for(out.numel(), permute_kernel<T>, static_cast<const T*>(x.raw()), static_cast<T*>(out.raw()),
               out.numel(), plan);
  });
}

// out[o, c, i] = (target[o, i] == c), with the class axis inserted at `axis`.
void one_hot(const Tensor& target, int axis, Tensor& out) {
  dispatch_floating(out.dtype(), "one_hot", [&]<typename T>() {
    const AxisView view(out.shape(), axis);
    launch_for(out.numel(), one_hot_kernel<T>, target.data<int32_t>(), out.data<T>(), view.outer, view.size,
               view.inner);
  });
}

}  // namespace dforge::cuda
