// Differentiable upsampling: y = A_h x A_w^T per plane, dx = A_h^T dy A_w, and the backward of
// the adjoint is the forward again.
#include "autograd/resize.h"

#include "autograd/node.h"

namespace dforge {

Variable upsample(const Variable& x, int out_h, int out_w, UpsampleMode mode, bool align_corners) {
  return record_one("upsample", runtime::upsample(x.data(), out_h, out_w, mode, align_corners), {x},
                    [input_shape = x.shape(), mode, align_corners](BackwardContext&,
                                                                   const VariableList& g) -> VariableList {
    return {upsample_backward(g[0], input_shape, mode, align_corners)};
  });
}

Variable upsample_backward(const Variable& grad_output, const Shape& input_shape, UpsampleMode mode,
                           bool align_corners) {
  return record_one("upsample_backward",
                    runtime::upsample_backward(grad_output.data(), input_shape, mode, align_corners), {grad_output},
                    [out_h = int(grad_output.size(2)), out_w = int(grad_output.size(3)), mode, align_corners](
                        BackwardContext&, const VariableList& g) -> VariableList {
    return {upsample(g[0], out_h, out_w, mode, align_corners)};
  });
}

}  // namespace dforge
