// CUDA padding kernels, mirroring runtime/cpu/pad.cpp: padding is a separable linear map
// (runtime/cuda/separable.cuh) whose 1-D matrix has at most one tap of weight 1 per output; it
// runs as a plain gather, and its adjoint (pad2d_backward) as a gather over the transposed map.
#include <algorithm>

#include "runtime/cuda/separable.cuh"
#include "runtime/pad.h"

namespace dforge::cuda {

namespace {

// Output o of a dim padded by `before` and `after` copies input i = o - before, moved into the
// image by the mode: reflect mirrors about the edge sample (-1 -> 1, in -> in - 2), replicate
// clamps to it, zeros leaves out-of-image outputs without a tap (value 0).
cpu::AxisMap pad_map(int64_t inputs, int before, int after, PadMode mode) {
  cpu::AxisMap map(inputs);
  for (int64_t o = 0; o < inputs + before + after; ++o) {
    int64_t i = o - before;
    if (mode == PadMode::reflect) i = i < 0 ? -i : (i >= inputs ? 2 * (inputs - 1) - i : i);
    if (mode == PadMode::replicate) i = std::clamp<int64_t>(i, 0, inputs - 1);
    if (i >= 0 && i < inputs) map.add_tap(i, 1.0);
    map.end_row();
  }
  return map;
}

}  // namespace

void pad2d(const Tensor& x, int left, int right, int top, int bottom, PadMode mode, Tensor& out) {
  cuda::apply_separable(pad_map(x.size(-2), top, bottom, mode), pad_map(x.size(-1), left, right, mode), x,
                        out);
}

void pad2d_backward(const Tensor& grad_output, int left, int right, int top, int bottom, PadMode mode,
                    Tensor& grad_input) {
  cuda::apply_separable_transposed(pad_map(grad_input.size(-2), top, bottom, mode),
                                   pad_map(grad_input.size(-1), left, right, mode), grad_output, grad_input);
}

}  // namespace dforge::cuda
