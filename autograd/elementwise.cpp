#include "autograd/elementwise.h"

#include "autograd/node.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"

namespace dforge {

using math::BinaryOp;
using math::UnaryOp;

Variable constant(double value, const Variable& like) {
  return Variable(Tensor::scalar(value, like.dtype(), like.device()));
}

Variable constant_like(const Tensor& tensor) { return Variable(tensor); }

namespace {
Variable unary_op(const char* name, UnaryOp op, const Variable& x, BackwardFunction backward, double a = 0,
                  double b = 0, bool save_output = false) {
  return record_one(name, runtime::unary(op, x.data(), a, b), {x}, std::move(backward), save_output);
}

// A gradient-free mask (1 where the op lets the gradient through), as a constant Variable.
Variable mask(const Tensor& values) { return Variable(values); }

// g * leaky_relu'(x) in one fused kernel, differentiable in g. It is linear in g, so its own
// backward is the same map; leaky_relu'(x) is piecewise constant, so x gets no gradient (x is held
// as a constant, as the mask was).
Variable leaky_relu_gradient(const Variable& g, const Variable& x, double negative_slope) {
  return record_one("leaky_relu_backward", runtime::leaky_relu_backward(g.data(), x.data(), negative_slope), {g},
                    [x, negative_slope](BackwardContext&, const VariableList& gg) -> VariableList {
    return {leaky_relu_gradient(gg[0], x, negative_slope)};
  });
}
}  // namespace

Variable neg(const Variable& x) {
  return unary_op("neg", UnaryOp::neg, x, [](BackwardContext&, const VariableList& g) -> VariableList {
    return {neg(g[0])};
  });
}

Variable abs(const Variable& x) {
  return unary_op("abs", UnaryOp::abs, x, [x](BackwardContext&, const VariableList& g) -> VariableList {
    return {g[0] * sign(x)};  // d|x|/dx = sign(x), 0 at 0 as in PyTorch
  });
}

Variable sign(const Variable& x) { return Variable(runtime::unary(UnaryOp::sign, x.data())); }

Variable exp(const Variable& x) {
  return unary_op("exp", UnaryOp::exp, x, [](BackwardContext& ctx, const VariableList& g) -> VariableList {
    return {g[0] * ctx.output()};
  }, 0, 0, true);
}

Variable log(const Variable& x) {
  return unary_op("log", UnaryOp::log, x, [x](BackwardContext&, const VariableList& g) -> VariableList {
    return {g[0] / x};
  });
}

Variable sqrt(const Variable& x) {
  return unary_op("sqrt", UnaryOp::sqrt, x, [](BackwardContext& ctx, const VariableList& g) -> VariableList {
    return {g[0] / (ctx.output() * 2.0)};
  }, 0, 0, true);
}

Variable rsqrt(const Variable& x) {
  // d/dx x^(-1/2) = -1/2 x^(-3/2) = -1/2 y^3
  return unary_op("rsqrt", UnaryOp::rsqrt, x, [](BackwardContext& ctx, const VariableList& g) -> VariableList {
    Variable y = ctx.output();
    return {g[0] * (y * y * y) * -0.5};
  }, 0, 0, true);
}

Variable pow(const Variable& x, double exponent) {
  return unary_op("pow", UnaryOp::pow, x, [x, exponent](BackwardContext&, const VariableList& g) -> VariableList {
    if (exponent == 0.0) return {g[0] * 0.0};
    return {g[0] * pow(x, exponent - 1.0) * exponent};
  }, exponent);
}

Variable tanh(const Variable& x) {
  return unary_op("tanh", UnaryOp::tanh, x, [](BackwardContext& ctx, const VariableList& g) -> VariableList {
    Variable y = ctx.output();
    return {g[0] * (1.0 - y * y)};
  }, 0, 0, true);
}

Variable sigmoid(const Variable& x) {
  return unary_op("sigmoid", UnaryOp::sigmoid, x, [](BackwardContext& ctx, const VariableList& g) -> VariableList {
    Variable y = ctx.output();
    return {g[0] * y * (1.0 - y)};
  }, 0, 0, true);
}

Variable relu(const Variable& x) {
  return unary_op("relu", UnaryOp::relu, x, [x](BackwardContext&, const VariableList& g) -> VariableList {
    return {leaky_relu_gradient(g[0], x, 0.0)};  // relu'(x) = 1 for x > 0, else 0
  });
}

Variable leaky_relu(const Variable& x, double negative_slope) {
  return unary_op("leaky_relu", UnaryOp::leaky_relu, x,
                  [x, negative_slope](BackwardContext&, const VariableList& g) -> VariableList {
    return {leaky_relu_gradient(g[0], x, negative_slope)};  // slope 1 where x > 0, negative_slope elsewhere
  }, negative_slope);
}

Variable clamp(const Variable& x, double low, double high) {
  DFORGE_CHECK(low <= high, "clamp: low ", low, " is above high ", high);
  return unary_op("clamp", UnaryOp::clamp, x, [x, low, high](BackwardContext&, const VariableList& g) -> VariableList {
    Tensor lo = Tensor::scalar(low, x.dtype(), x.device()), hi = Tensor::scalar(high, x.dtype(), x.device());
    Tensor inside = runtime::mul(runtime::binary(BinaryOp::ge, x.data(), lo), runtime::binary(BinaryOp::le, x.data(), hi));
    return {g[0] * mask(inside)};
  }, low, high);
}

Variable affine(const Variable& x, double scale, double shift) {
  return unary_op("affine", UnaryOp::affine, x, [scale](BackwardContext&, const VariableList& g) -> VariableList {
    return {g[0] * scale};
  }, scale, shift);
}

// ---- binary ----------------------------------------------------------------------------------

Variable add(const Variable& x, const Variable& y) {
  return record_one("add", runtime::add(x.data(), y.data()), {x, y},
                    [xs = x.shape(), ys = y.shape()](BackwardContext&, const VariableList& g) -> VariableList {
    return {sum_to_shape(g[0], xs), sum_to_shape(g[0], ys)};
  });
}

Variable sub(const Variable& x, const Variable& y) {
  return record_one("sub", runtime::sub(x.data(), y.data()), {x, y},
                    [xs = x.shape(), ys = y.shape()](BackwardContext& ctx, const VariableList& g) -> VariableList {
    return {sum_to_shape(g[0], xs), ctx.needs_grad(1) ? sum_to_shape(neg(g[0]), ys) : Variable()};
  });
}

Variable mul(const Variable& x, const Variable& y) {
  return record_one("mul", runtime::mul(x.data(), y.data()), {x, y},
                    [x, y](BackwardContext& ctx, const VariableList& g) -> VariableList {
    return {ctx.needs_grad(0) ? sum_to_shape(g[0] * y, x.shape()) : Variable(),
            ctx.needs_grad(1) ? sum_to_shape(g[0] * x, y.shape()) : Variable()};
  });
}

Variable div(const Variable& x, const Variable& y) {
  return record_one("div", runtime::div(x.data(), y.data()), {x, y},
                    [x, y](BackwardContext& ctx, const VariableList& g) -> VariableList {
    // d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2
    return {ctx.needs_grad(0) ? sum_to_shape(g[0] / y, x.shape()) : Variable(),
            ctx.needs_grad(1) ? sum_to_shape(neg(g[0] * x / (y * y)), y.shape()) : Variable()};
  });
}

namespace {
// Share of the gradient that goes to x in max/min: 1 where x wins, 1/2 on ties, 0 where y wins.
Variable selection_share(BinaryOp wins, const Variable& x, const Variable& y) {
  Tensor wins_mask = runtime::binary(wins, x.data(), y.data());
  Tensor tie_mask = runtime::binary(BinaryOp::eq, x.data(), y.data());
  return mask(runtime::add(wins_mask, runtime::affine(tie_mask, 0.5, 0.0)));
}

Variable select_op(const char* name, BinaryOp op, BinaryOp wins, const Variable& x, const Variable& y) {
  return record_one(name, runtime::binary(op, x.data(), y.data()), {x, y},
                    [x, y, wins](BackwardContext&, const VariableList& g) -> VariableList {
    Variable share = selection_share(wins, x, y);
    return {sum_to_shape(g[0] * share, x.shape()), sum_to_shape(g[0] * (1.0 - share), y.shape())};
  });
}

Variable compare(BinaryOp op, const Variable& x, const Variable& y) {
  return Variable(runtime::binary(op, x.data(), y.data()));
}
}  // namespace

Variable maximum(const Variable& x, const Variable& y) { return select_op("maximum", BinaryOp::maximum, BinaryOp::gt, x, y); }
Variable minimum(const Variable& x, const Variable& y) { return select_op("minimum", BinaryOp::minimum, BinaryOp::lt, x, y); }

Variable eq(const Variable& x, const Variable& y) { return compare(BinaryOp::eq, x, y); }
Variable gt(const Variable& x, const Variable& y) { return compare(BinaryOp::gt, x, y); }
Variable ge(const Variable& x, const Variable& y) { return compare(BinaryOp::ge, x, y); }
Variable lt(const Variable& x, const Variable& y) { return compare(BinaryOp::lt, x, y); }
Variable le(const Variable& x, const Variable& y) { return compare(BinaryOp::le, x, y); }

Variable where(const Variable& condition, const Variable& x, const Variable& y) {
  return record_one("where", runtime::where(condition.data(), x.data(), y.data()), {x, y},
                    [condition, xs = x.shape(), ys = y.shape()](BackwardContext&, const VariableList& g) -> VariableList {
    Variable zero = constant(0.0, g[0]);
    return {sum_to_shape(where(condition, g[0], zero), xs), sum_to_shape(where(condition, zero, g[0]), ys)};
  });
}

// ---- shape plumbing --------------------------------------------------------------------------

Variable reshape(const Variable& x, const Shape& shape) {
  return record_one("reshape", x.data().reshape(shape), {x},
                    [xs = x.shape()](BackwardContext&, const VariableList& g) -> VariableList {
    return {reshape(g[0], xs)};
  });
}

Variable broadcast_to(const Variable& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  return record_one("broadcast_to", runtime::broadcast_to(x.data(), shape), {x},
                    [xs = x.shape()](BackwardContext&, const VariableList& g) -> VariableList {
    return {sum_to_shape(g[0], xs)};
  });
}

Variable sum_to_shape(const Variable& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  return record_one("sum_to_shape", runtime::sum_to_shape(x.data(), shape), {x},
                    [shape_of_x = x.shape()](BackwardContext&, const VariableList& g) -> VariableList {
    return {broadcast_to(g[0], shape_of_x)};
  });
}

}  // namespace dforge
