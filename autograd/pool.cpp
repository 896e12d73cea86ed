// Differentiable pooling. For a linear pooling y = A x the backward is dx = A^T dy, and the
// backward of A^T is A again; max pooling is y = S x with S the 0/1 selection of each window's
// argmax (fixed at forward time), so dx = S^T dy and the backward of S^T is S.
#include "autograd/pool.h"

#include "autograd/node.h"
#include "runtime/pool.h"

namespace dforge {

Variable avg_pool2d(const Variable& x, int kernel, int stride, int padding, bool count_include_pad) {
  return record_one("avg_pool2d", runtime::avg_pool2d(x.data(), kernel, stride, padding, count_include_pad), {x},
                    [input_shape = x.shape(), kernel, stride, padding, count_include_pad](
                        BackwardContext&, const VariableList& g) -> VariableList {
    return {avg_pool2d_backward(g[0], input_shape, kernel, stride, padding, count_include_pad)};
  });
}

Variable avg_pool2d_backward(const Variable& grad_output, const Shape& input_shape, int kernel, int stride,
                             int padding, bool count_include_pad) {
  Tensor grad_input = runtime::avg_pool2d_backward(grad_output.data(), input_shape, kernel, stride, padding,
                                                   count_include_pad);
  return record_one("avg_pool2d_backward", grad_input, {grad_output},
                    [kernel, stride, padding, count_include_pad](BackwardContext&,
                                                                 const VariableList& g) -> VariableList {
    return {avg_pool2d(g[0], kernel, stride, padding, count_include_pad)};
  });
}

Variable adaptive_avg_pool2d(const Variable& x, int out_h, int out_w) {
  return record_one("adaptive_avg_pool2d", runtime::adaptive_avg_pool2d(x.data(), out_h, out_w), {x},
                    [input_shape = x.shape()](BackwardContext&, const VariableList& g) -> VariableList {
    return {adaptive_avg_pool2d_backward(g[0], input_shape)};
  });
}

Variable adaptive_avg_pool2d_backward(const Variable& grad_output, const Shape& input_shape) {
  return record_one("adaptive_avg_pool2d_backward",
                    runtime::adaptive_avg_pool2d_backward(grad_output.data(), input_shape), {grad_output},
                    [out_h = int(grad_output.size(2)), out_w = int(grad_output.size(3))](
                        BackwardContext&, const VariableList& g) -> VariableList {
    return {adaptive_avg_pool2d(g[0], out_h, out_w)};
  });
}

Variable max_pool2d(const Variable& x, int kernel, int stride, int padding) {
  runtime::MaxPoolResult pooled = runtime::max_pool2d(x.data(), kernel, stride, padding);
  return record_one("max_pool2d", pooled.values, {x},
                    [indices = pooled.indices, input_shape = x.shape(), kernel, stride, padding](
                        BackwardContext&, const VariableList& g) -> VariableList {
    return {max_pool2d_backward(g[0], indices, input_shape, kernel, stride, padding)};
  });
}

Variable max_pool2d_backward(const Variable& grad_output, const Tensor& indices, const Shape& input_shape,
                             int kernel, int stride, int padding) {
  Tensor grad_input =
      runtime::max_pool2d_backward(grad_output.data(), indices, input_shape, kernel, stride, padding);
  return record_one("max_pool2d_backward", grad_input, {grad_output},
                    [indices, kernel, stride, padding](BackwardContext&, const VariableList& g) -> VariableList {
    return {max_pool2d_select(g[0], indices, kernel, stride, padding)};
  });
}

Variable max_pool2d_select(const Variable& x, const Tensor& indices, int kernel, int stride, int padding) {
  return record_one("max_pool2d_select", runtime::max_pool2d_select(x.data(), indices), {x},
                    [indices, input_shape = x.shape(), kernel, stride, padding](
                        BackwardContext&, const VariableList& g) -> VariableList {
    return {max_pool2d_backward(g[0], indices, input_shape, kernel, stride, padding)};
  });
}

}  // namespace dforge
