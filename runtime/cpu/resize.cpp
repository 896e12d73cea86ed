// CPU upsampling kernels: both modes are separable linear maps (cpu/separable.h) whose 1-D
// matrices come from runtime/separable_maps.h, following the rules stated in runtime/resize.h.
#include "runtime/resize.h"

#include "runtime/cpu/separable.h"
#include "runtime/separable_maps.h"

namespace dforge::cpu {

void upsample(const Tensor& x, UpsampleMode mode, bool align_corners, Tensor& out) {
  apply_separable(resize_map(x.size(2), out.size(2), mode, align_corners),
                  resize_map(x.size(3), out.size(3), mode, align_corners), x, out);
}

void upsample_backward(const Tensor& grad_output, UpsampleMode mode, bool align_corners, Tensor& grad_input) {
  apply_separable_transposed(resize_map(grad_input.size(2), grad_output.size(2), mode, align_corners),
                             resize_map(grad_input.size(3), grad_output.size(3), mode, align_corners), grad_output,
                             grad_input);
}

}  // namespace dforge::cpu
