// CPU padding kernels: padding is a separable linear map (cpu/separable.h) whose 1-D matrix has
// at most one tap of weight 1 per output; this file only defines which input each output copies.
#include "runtime/pad.h"

#include <algorithm>

#include "runtime/cpu/separable.h"

namespace dforge::cpu {

namespace {

// Output o of a dim padded by `before` and `after` copies input i = o - before, moved into the
// image by the mode: reflect mirrors about the edge sample (-1 -> 1, in -> in - 2), replicate
// clamps to it, zeros leaves out-of-image outputs without a tap (value 0).
AxisMap pad_map(int64_t inputs, int before, int after, PadMode mode) {
  AxisMap map(inputs);
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
  apply_separable(pad_map(x.size(-2), top, bottom, mode), pad_map(x.size(-1), left, right, mode), x, out);
}

void pad2d_backward(const Tensor& grad_output, int left, int right, int top, int bottom, PadMode mode,
                    Tensor& grad_input) {
  apply_separable_transposed(pad_map(grad_input.size(-2), top, bottom, mode),
                             pad_map(grad_input.size(-1), left, right, mode), grad_output, grad_input);
}

}  // namespace dforge::cpu
