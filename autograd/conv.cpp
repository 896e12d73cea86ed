#include "autograd/conv.h"

#include "autograd/node.h"
#include "autograd/reduce.h"
#include "runtime/conv.h"

namespace dforge {

namespace {

Tensor data_or_undefined(const Variable& v) { return v.defined() ? v.data() : Tensor(); }

// The adjoints are conv2d's, whose geometry has no output_padding: the output shape carries it.
ConvParams without_output_padding(ConvParams params) {
  params.output_padding = 0;
  return params;
}

// d(sum_c bias_c broadcast over N, H, W)/d bias: the output gradient summed over N, H, W.
Variable bias_grad(const Variable& grad_output) { return sum(grad_output, {0, 2, 3}); }

// Records z = conv2d_input(g, W) + bias (conv_transpose2d), already computed by the runtime.
Variable record_transposed(const char* name, const Tensor& z, const Variable& g, const Variable& weight,
                           const Variable& bias, ConvParams params) {
  params = without_output_padding(params);
  return record_one(name, z, {g, weight, bias},
                    [g, weight, params](BackwardContext& ctx, const VariableList& grads) -> VariableList {
    const Variable& dz = grads[0];
    return {ctx.needs_grad(0) ? conv2d(dz, weight, Variable(), params) : Variable(),
            ctx.needs_grad(1) ? conv2d_weight(dz, g, weight.shape(), params) : Variable(),
            ctx.needs_grad(2) ? bias_grad(dz) : Variable()};
  });
}

}  // namespace

Variable conv2d(const Variable& x, const Variable& weight, const Variable& bias, ConvParams params) {
  Tensor y = runtime::conv2d(x.data(), weight.data(), data_or_undefined(bias), params);
  return record_one("conv2d", y, {x, weight, bias},
                    [x, weight, params](BackwardContext& ctx, const VariableList& grads) -> VariableList {
    const Variable& dy = grads[0];
    return {ctx.needs_grad(0) ? conv2d_input(dy, weight, x.shape(), params) : Variable(),
            ctx.needs_grad(1) ? conv2d_weight(x, dy, weight.shape(), params) : Variable(),
            ctx.needs_grad(2) ? bias_grad(dy) : Variable()};
  });
}

Variable conv_transpose2d(const Variable& x, const Variable& weight, const Variable& bias, ConvParams params) {
  Tensor z = runtime::conv_transpose2d(x.data(), weight.data(), data_or_undefined(bias), params);
  return record_transposed("conv_transpose2d", z, x, weight, bias, params);
}

Variable conv2d_input(const Variable& grad_output, const Variable& weight, const Shape& input_shape,
                      ConvParams params) {
  Tensor z = runtime::conv2d_input_grad(grad_output.data(), weight.data(), input_shape, params);
  return record_transposed("conv2d_input", z, grad_output, weight, Variable(), params);
}

Variable conv2d_weight(const Variable& x, const Variable& grad_output, const Shape& weight_shape, ConvParams params) {
  params = without_output_padding(params);
  Tensor w = runtime::conv2d_weight_grad(x.data(), grad_output.data(), weight_shape, params);
  return record_one("conv2d_weight", w, {x, grad_output},
                    [x, grad_output, params](BackwardContext& ctx, const VariableList& grads) -> VariableList {
    const Variable& dw = grads[0];
    return {ctx.needs_grad(0) ? conv2d_input(grad_output, dw, x.shape(), params) : Variable(),
            ctx.needs_grad(1) ? conv2d(x, dw, Variable(), params) : Variable()};
  });
}

}  // namespace dforge
