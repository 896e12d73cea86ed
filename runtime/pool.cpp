#include "runtime/pool.h"

#include <limits>

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {

void check_image_batch(const char* op, const Tensor& x) {
  check_same_device(op, x);
  DFORGE_CHECK(x.ndim() == 4, op, ": expects a 4-D NCHW input, got ", x.describe());
  DFORGE_CHECK(is_floating(x.dtype()), op, ": needs an f32 or f64 input, got ", x.describe());
  DFORGE_CHECK(x.size(2) > 0 && x.size(3) > 0, op, ": input plane is empty (", x.describe(), ")");
}

void check_input_shape(const char* op, const Shape& input_shape) {
  DFORGE_CHECK(input_shape.size() == 4 && input_shape[2] > 0 && input_shape[3] > 0, op,
               ": input shape ", shape_str(input_shape), " is not a non-empty 4-D NCHW shape");
}

void check_window(const char* op, int kernel, int stride, int padding) {
  DFORGE_CHECK(kernel >= 1, op, ": kernel ", kernel, " must be at least 1");
  DFORGE_CHECK(stride >= 1, op, ": stride ", stride, " must be at least 1");
  DFORGE_CHECK(padding >= 0, op, ": padding ", padding, " is negative");
  DFORGE_CHECK(2 * padding <= kernel, op, ": padding ", padding, " is more than half the kernel ", kernel);
}

// [N, C, out_h, out_w] of a k x k pooling of `input_shape`, after validating the window.
Shape pooled_shape(const char* op, const Shape& input_shape, int kernel, int stride, int padding) {
  check_window(op, kernel, stride, padding);
  DFORGE_CHECK(input_shape[2] + 2 * padding >= kernel && input_shape[3] + 2 * padding >= kernel, op, ": kernel ",
               kernel, " is larger than the input ", shape_str(input_shape), " padded by ", padding);
  return {input_shape[0], input_shape[1], pool_output_size(input_shape[2], kernel, stride, padding, op),
          pool_output_size(input_shape[3], kernel, stride, padding, op)};
}

void check_gradient(const char* op, const Tensor& grad_output, const Shape& expected) {
  check_same_device(op, grad_output);
  DFORGE_CHECK(is_floating(grad_output.dtype()), op, ": needs an f32 or f64 gradient, got ", grad_output.describe());
  DFORGE_CHECK(grad_output.shape() == expected, op, ": gradient ", grad_output.describe(),
               " does not match the forward output shape ", shape_str(expected));
}

void check_indices(const char* op, const Tensor& indices, const Tensor& values) {
  check_same_device(op, values, indices);
  DFORGE_CHECK(indices.dtype() == DType::i32, op, ": indices must be i32, got ", indices.describe());
  DFORGE_CHECK(indices.ndim() == 4 && indices.size(0) == values.size(0) && indices.size(1) == values.size(1), op,
               ": indices ", indices.describe(), " do not match the planes of ", values.describe());
}

}  // namespace

int64_t pool_output_size(int64_t input_size, int kernel, int stride, int padding, const char* op) {
  check_window(op, kernel, stride, padding);
  DFORGE_CHECK(input_size + 2 * padding >= kernel, op, ": kernel ", kernel, " is larger than the input size ",
               input_size, " padded by ", padding);
  return (input_size + 2 * padding - kernel) / stride + 1;
}

Tensor avg_pool2d(const Tensor& x, int kernel, int stride, int padding, bool count_include_pad) {
  check_image_batch("avg_pool2d", x);
  Shape shape = pooled_shape("avg_pool2d", x.shape(), kernel, stride, padding);
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), avg_pool2d, x, kernel, stride, padding, count_include_pad, out);
  return out;
}

Tensor avg_pool2d_backward(const Tensor& grad_output, const Shape& input_shape, int kernel, int stride,
                           int padding, bool count_include_pad) {
  check_input_shape("avg_pool2d_backward", input_shape);
  check_gradient("avg_pool2d_backward", grad_output,
                 pooled_shape("avg_pool2d_backward", input_shape, kernel, stride, padding));
  Tensor grad_input = Tensor::empty(input_shape, grad_output.dtype(), grad_output.device());
  DFORGE_ROUTE(grad_output.device(), avg_pool2d_backward, grad_output, kernel, stride, padding, count_include_pad,
               grad_input);
  return grad_input;
}

MaxPoolResult max_pool2d(const Tensor& x, int kernel, int stride, int padding) {
  check_image_batch("max_pool2d", x);
  DFORGE_CHECK(x.size(2) * x.size(3) <= std::numeric_limits<int32_t>::max(), "max_pool2d: plane of ",
               x.describe(), " is too large for i32 indices");
  Shape shape = pooled_shape("max_pool2d", x.shape(), kernel, stride, padding);
  MaxPoolResult result{Tensor::empty(shape, x.dtype(), x.device()), Tensor::empty(shape, DType::i32, x.device())};
  DFORGE_ROUTE(x.device(), max_pool2d, x, kernel, stride, padding, result.values, result.indices);
  return result;
}

Tensor max_pool2d_backward(const Tensor& grad_output, const Tensor& indices, const Shape& input_shape, int kernel,
                           int stride, int padding) {
  check_input_shape("max_pool2d_backward", input_shape);
  check_gradient("max_pool2d_backward", grad_output,
                 pooled_shape("max_pool2d_backward", input_shape, kernel, stride, padding));
  check_indices("max_pool2d_backward", indices, grad_output);
  DFORGE_CHECK(indices.shape() == grad_output.shape(), "max_pool2d_backward: indices ", indices.describe(),
               " and gradient ", grad_output.describe(), " differ in shape");
  Tensor grad_input = Tensor::empty(input_shape, grad_output.dtype(), grad_output.device());
  DFORGE_ROUTE(grad_output.device(), max_pool2d_backward, grad_output, indices, kernel, stride, padding, grad_input);
  return grad_input;
}

Tensor max_pool2d_select(const Tensor& x, const Tensor& indices) {
  check_image_batch("max_pool2d_select", x);
  check_indices("max_pool2d_select", indices, x);
  Tensor out = Tensor::empty(indices.shape(), x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), max_pool2d_select, x, indices, out);
  return out;
}

Tensor adaptive_avg_pool2d(const Tensor& x, int out_h, int out_w) {
  check_image_batch("adaptive_avg_pool2d", x);
  DFORGE_CHECK(out_h >= 1 && out_w >= 1, "adaptive_avg_pool2d: output size ", out_h, "x", out_w,
               " must be positive");
  Tensor out = Tensor::empty({x.size(0), x.size(1), out_h, out_w}, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), adaptive_avg_pool2d, x, out);
  return out;
}

Tensor adaptive_avg_pool2d_backward(const Tensor& grad_output, const Shape& input_shape) {
  check_input_shape("adaptive_avg_pool2d_backward", input_shape);
  check_image_batch("adaptive_avg_pool2d_backward", grad_output);
  check_gradient("adaptive_avg_pool2d_backward", grad_output,
                 {input_shape[0], input_shape[1], grad_output.size(2), grad_output.size(3)});
  Tensor grad_input = Tensor::empty(input_shape, grad_output.dtype(), grad_output.device());
  DFORGE_ROUTE(grad_output.device(), adaptive_avg_pool2d_backward, grad_output, grad_input);
  return grad_input;
}

}  // namespace dforge::runtime
