// CPU padding kernels: padding is a separable linear map (cpu/separable.h) whose 1-D matrix
// (runtime/separable_maps.h, pad_map) has at most one tap of weight 1 per output.
#include "runtime/pad.h"

#include "runtime/cpu/separable.h"
#include "runtime/separable_maps.h"

namespace dforge::cpu {

void pad2d(const Tensor& x, int left, int right, int top, int bottom, PadMode mode, Tensor& out) {
  apply_separable(pad_map(x.size(-2), top, bottom, mode), pad_map(x.size(-1), left, right, mode), x, out);
}

void pad2d_backward(const Tensor& grad_output, int left, int right, int top, int bottom, PadMode mode,
                    Tensor& grad_input) {
  apply_separable_transposed(pad_map(grad_input.size(-2), top, bottom, mode),
                             pad_map(grad_input.size(-1), left, right, mode), grad_output, grad_input);
}

}  // namespace dforge::cpu
