#include "autograd/reduce.h"

#include "autograd/elementwise.h"
#include "autograd/node.h"
#include "runtime/reduce.h"

namespace dforge {

using runtime::ReduceOp;

namespace {
// The keepdim shape of a reduction, so a gradient can be reshaped and broadcast back.
Shape keepdim_shape(const Shape& shape, std::vector<int> axes) {
  return runtime::reduced_shape(shape, axes, true, "reduce");
}

int64_t reduced_count(const Shape& shape, std::vector<int> axes) {
  runtime::reduced_shape(shape, axes, true, "reduce");
  int64_t count = 1;
  for (int axis : axes) count *= shape[axis];
  return count;
}

Variable spread(const Variable& gradient, const Shape& kept, const Shape& full) {
  return broadcast_to(reshape(gradient, kept), full);
}

Variable extremum(const char* name, ReduceOp op, const Variable& x, const std::vector<int>& axes, bool keepdim) {
  return record_one(name, runtime::reduce(op, x.data(), axes, keepdim), {x},
                    [x, axes](BackwardContext& ctx, const VariableList& g) -> VariableList {
    Shape kept = keepdim_shape(x.shape(), axes);
    Variable best = reshape(ctx.output(), kept);
    Variable is_best = eq(x, best);  // constant 0/1 mask
    Variable ties = Variable(runtime::sum(is_best.data(), axes, true));
    return {spread(g[0], kept, x.shape()) * is_best / ties};
  }, true);
}
}  // namespace

Variable sum(const Variable& x, const std::vector<int>& axes, bool keepdim) {
  return record_one("sum", runtime::sum(x.data(), axes, keepdim), {x},
                    [shape = x.shape(), axes](BackwardContext&, const VariableList& g) -> VariableList {
    return {spread(g[0], keepdim_shape(shape, axes), shape)};
  });
}

Variable mean(const Variable& x, const std::vector<int>& axes, bool keepdim) {
  return record_one("mean", runtime::mean(x.data(), axes, keepdim), {x},
                    [shape = x.shape(), axes](BackwardContext&, const VariableList& g) -> VariableList {
    double count = double(reduced_count(shape, axes));
    return {spread(g[0] / count, keepdim_shape(shape, axes), shape)};  // scale the small tensor, then spread
  });
}

Variable var(const Variable& x, const std::vector<int>& axes, bool keepdim, int correction) {
  return record_one("var", runtime::var(x.data(), axes, keepdim, correction), {x},
                    [x, axes, correction](BackwardContext&, const VariableList& g) -> VariableList {
    // d var / dx_i = 2 (x_i - mean) / (count - correction)
    double divisor = double(reduced_count(x.shape(), axes) - correction);
    Variable centered = x - mean(x, axes, true);
    return {spread(g[0], keepdim_shape(x.shape(), axes), x.shape()) * centered * (2.0 / divisor)};
  });
}

Variable max(const Variable& x, const std::vector<int>& axes, bool keepdim) {
  return extremum("max", ReduceOp::max, x, axes, keepdim);
}

Variable min(const Variable& x, const std::vector<int>& axes, bool keepdim) {
  return extremum("min", ReduceOp::min, x, axes, keepdim);
}

}  // namespace dforge
