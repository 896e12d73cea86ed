#include "autograd/dropout.h"

#include "autograd/elementwise.h"
#include "autograd/node.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"

namespace dforge {

Variable dropout(const Variable& x, double p, bool training, Generator& generator) {
  DFORGE_CHECK(p >= 0 && p < 1, "dropout: probability ", p, " is outside [0, 1)");
  if (!training || p == 0) return x;
  Tensor keep = Tensor::empty(x.shape(), x.dtype(), x.device());
  runtime::fill_bernoulli(keep, 1 - p, generator);
  return x * Variable(runtime::affine(keep, 1 / (1 - p), 0.0));
}

Variable gradient_reversal(const Variable& x, double lambda) {
  return record_one("gradient_reversal", x.data(), {x}, [lambda](BackwardContext&, const VariableList& g) -> VariableList {
    return {g[0] * -lambda};
  });
}

}  // namespace dforge
