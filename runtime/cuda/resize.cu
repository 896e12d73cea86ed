// CUDA upsampling kernels, mirroring runtime/cpu/resize.cpp: both modes are separable linear maps
// (runtime/cuda/separable.cuh) whose 1-D matrices are built here exactly as the CPU file builds
// them, following the source-index rules stated in runtime/resize.h. The backward is the adjoint
// map run as a gather, so bilinear upsampling backward is deterministic on the GPU.
#include <algorithm>

#include "runtime/cuda/separable.cuh"
#include "runtime/resize.h"

namespace dforge::cuda {

namespace {

using cpu::AxisMap;

// Output o copies input floor(o in / out).
AxisMap nearest_map(int64_t inputs, int64_t outputs) {
  AxisMap map(inputs);
  for (int64_t o = 0; o < outputs; ++o) {
    map.add_tap(o * inputs / outputs, 1.0);
    map.end_row();
  }
  return map;
}

// PyTorch's area_pixel_compute_source_index for linear interpolation.
double bilinear_source(int64_t o, int64_t inputs, int64_t outputs, bool align_corners) {
  if (align_corners) return outputs > 1 ? double(o) * double(inputs - 1) / double(outputs - 1) : 0.0;
  return std::max((double(o) + 0.5) * double(inputs) / double(outputs) - 0.5, 0.0);
}

// Output o blends inputs i0 = floor(src) and i1 = min(i0 + 1, in - 1) with weights 1 - t and t.
AxisMap bilinear_map(int64_t inputs, int64_t outputs, bool align_corners) {
  AxisMap map(inputs);
  for (int64_t o = 0; o < outputs; ++o) {
    const double source = bilinear_source(o, inputs, outputs, align_corners);
    const int64_t low = std::min(int64_t(source), inputs - 1);
    const int64_t high = std::min(low + 1, inputs - 1);
    const double t = source - double(low);
    map.add_tap(low, 1.0 - t);
    map.add_tap(high, t);
    map.end_row();
  }
  return map;
}

AxisMap resize_map(int64_t inputs, int64_t outputs, UpsampleMode mode, bool align_corners) {
  return mode == UpsampleMode::nearest ? nearest_map(inputs, outputs)
                                       : bilinear_map(inputs, outputs, align_corners);
}

}  // namespace

void upsample(const Tensor& x, UpsampleMode mode, bool align_corners, Tensor& out) {
  cuda::apply_separable(resize_map(x.size(2), out.size(2), mode, align_corners),
                        resize_map(x.size(3), out.size(3), mode, align_corners), x, out);
}

void upsample_backward(const Tensor& grad_output, UpsampleMode mode, bool align_corners, Tensor& grad_input) {
  cuda::apply_separable_transposed(resize_map(grad_input.size(2), grad_output.size(2), mode, align_corners),
                                   resize_map(grad_input.size(3), grad_output.size(3), mode, align_corners),
                                   grad_output, grad_input);
}

}  // namespace dforge::cuda
