// Differentiable padding: y = P x with P a 0/1 copy map, dx = P^T dy (a crop for zeros, a
// fold-back of the mirrored or repeated borders otherwise), and the backward of P^T is P.
#include "autograd/pad.h"

#include "autograd/node.h"

namespace dforge {

Variable pad2d(const Variable& x, int left, int right, int top, int bottom, PadMode mode) {
  return record_one("pad2d", runtime::pad2d(x.data(), left, right, top, bottom, mode), {x},
                    [left, right, top, bottom, mode](BackwardContext&, const VariableList& g) -> VariableList {
    return {pad2d_backward(g[0], left, right, top, bottom, mode)};
  });
}

Variable pad2d_backward(const Variable& grad_output, int left, int right, int top, int bottom, PadMode mode) {
  return record_one("pad2d_backward", runtime::pad2d_backward(grad_output.data(), left, right, top, bottom, mode),
                    {grad_output},
                    [left, right, top, bottom, mode](BackwardContext&, const VariableList& g) -> VariableList {
    return {pad2d(g[0], left, right, top, bottom, mode)};
  });
}

}  // namespace dforge
