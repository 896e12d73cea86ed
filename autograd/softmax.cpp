// Softmax and log_softmax on Variables: the fused runtime kernel forward, a backward made of
// elementwise ops and sums on the saved output (the Jacobian-vector products of the header).
#include "autograd/softmax.h"

#include "autograd/elementwise.h"
#include "autograd/node.h"
#include "autograd/reduce.h"
#include "runtime/softmax.h"

namespace dforge {

Variable softmax(const Variable& x, int axis) {
  // dy_i/dx_k = y_i (delta_ik - y_k), so dx_k = y_k (g_k - sum_i g_i y_i).
  return record_one("softmax", runtime::softmax(x.data(), axis), {x},
                    [axis](BackwardContext& ctx, const VariableList& g) -> VariableList {
    Variable y = ctx.output();
    return {y * (g[0] - sum(g[0] * y, {axis}, true))};
  }, true);
}

Variable log_softmax(const Variable& x, int axis) {
  // dy_i/dx_k = delta_ik - softmax(x)_k, so dx_k = g_k - exp(y_k) sum_i g_i.
  return record_one("log_softmax", runtime::log_softmax(x.data(), axis), {x},
                    [axis](BackwardContext& ctx, const VariableList& g) -> VariableList {
    Variable y = ctx.output();
    return {g[0] - exp(y) * sum(g[0], {axis}, true)};
  }, true);
}

}  // namespace dforge
