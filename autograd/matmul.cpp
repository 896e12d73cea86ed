#include "autograd/matmul.h"

#include "autograd/node.h"
#include "autograd/reduce.h"
#include "runtime/matmul.h"

namespace dforge {

// C = op(A) op(B). With dC the gradient of C, d<dC, C> gives (derivation per flag pair):
//   C = A B:      dA = dC B^T       dB = A^T dC
//   C = A^T B:    dA = B dC^T       dB = A dC
//   C = A B^T:    dA = dC B         dB = dC^T A
//   C = A^T B^T:  dA = B^T dC^T     dB = dC^T A^T
Variable matmul(const Variable& a, const Variable& b, bool transpose_a, bool transpose_b) {
  return record_one("matmul", runtime::matmul(a.data(), b.data(), transpose_a, transpose_b), {a, b},
                    [a, b, transpose_a, transpose_b](BackwardContext& ctx, const VariableList& g) -> VariableList {
    const Variable& dc = g[0];
    Variable da, db;
    if (ctx.needs_grad(0)) da = transpose_a ? matmul(b, dc, transpose_b, true) : matmul(dc, b, false, !transpose_b);
    if (ctx.needs_grad(1)) db = transpose_b ? matmul(dc, a, true, transpose_a) : matmul(a, dc, !transpose_a, false);
    return {da, db};
  });
}

// y = x W^T + b:  dx = dy W,  dW = dy^T x,  db = sum over the batch of dy.
Variable linear(const Variable& x, const Variable& weight, const Variable& bias) {
  Tensor bias_data = bias.defined() ? bias.data() : Tensor();
  return record_one("linear", runtime::linear(x.data(), weight.data(), bias_data), {x, weight, bias},
                    [x, weight](BackwardContext& ctx, const VariableList& g) -> VariableList {
    const Variable& dy = g[0];
    return {ctx.needs_grad(0) ? matmul(dy, weight) : Variable(),
            ctx.needs_grad(1) ? matmul(dy, x, true, false) : Variable(),
            ctx.needs_grad(2) ? sum(dy, {0}) : Variable()};
  });
}

}  // namespace dforge
