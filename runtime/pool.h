// 2-D pooling of NCHW tensors (f32 or f64): average, max and adaptive average, each with the
// backward kernel autograd needs. PyTorch semantics (ceil_mode = false, dilation 1): a k x k window
// moved by `stride` over the input padded by `padding` on every side, giving
//   out = floor((in + 2 padding - kernel) / stride) + 1   per spatial dim.
// Requires kernel >= 1, stride >= 1, 0 <= padding <= kernel / 2, and kernel <= in + 2 padding.
// Average and adaptive pooling are linear (y = A x); their backward kernels are the adjoints A^T,
// computed as gathers. Max pooling also returns, per output, the flat index (h * W + w) within
// its input plane of the element it took.
#pragma once

#include "runtime/tensor.h"

namespace dforge::runtime {

// Output size of one spatial dim (the formula above), validated; `op` names the caller in errors.
int64_t pool_output_size(int64_t input_size, int kernel, int stride, int padding, const char* op);

// y[n, c, i, j] = sum of x over the window at (i stride - padding, j stride - padding), divided by
// kernel^2 (count_include_pad) or by the number of window elements inside the image.
Tensor avg_pool2d(const Tensor& x, int kernel, int stride, int padding = 0, bool count_include_pad = true);
// The adjoint of avg_pool2d for an input of `input_shape`: dx = A^T dy.
Tensor avg_pool2d_backward(const Tensor& grad_output, const Shape& input_shape, int kernel, int stride,
                           int padding, bool count_include_pad);

struct MaxPoolResult {
  Tensor values;   // the window maxima (padding counts as -inf; NaN wins, as in PyTorch)
  Tensor indices;  // i32, same shape: flat index within the input plane (first maximum on ties)
};
MaxPoolResult max_pool2d(const Tensor& x, int kernel, int stride, int padding = 0);
// dx[n, c, e] = sum of dy[n, c, o] over outputs o with indices[n, c, o] == e; `input_shape` is x's.
Tensor max_pool2d_backward(const Tensor& grad_output, const Tensor& indices, const Shape& input_shape,
                           int kernel, int stride, int padding);
// The adjoint of max_pool2d_backward: out[n, c, o] = x[n, c, indices[n, c, o]] (shape of indices).
Tensor max_pool2d_select(const Tensor& x, const Tensor& indices);

// y[n, c, i, j] = mean of x over rows [floor(i H / out_h), ceil((i + 1) H / out_h)) and the
// columns defined the same way (PyTorch's bins).
Tensor adaptive_avg_pool2d(const Tensor& x, int out_h, int out_w);
// The adjoint of adaptive_avg_pool2d for an input of `input_shape`.
Tensor adaptive_avg_pool2d_backward(const Tensor& grad_output, const Shape& input_shape);

}  // namespace dforge::runtime

// Kernels: arguments validated, outputs allocated with their final shapes (grad_input has the
// input's shape).
namespace dforge::cpu {
void avg_pool2d(const Tensor& x, int kernel, int stride, int padding, bool count_include_pad, Tensor& out);
void avg_pool2d_backward(const Tensor& grad_output, int kernel, int stride, int padding, bool count_include_pad,
                         Tensor& grad_input);
void max_pool2d(const Tensor& x, int kernel, int stride, int padding, Tensor& out, Tensor& indices);
void max_pool2d_backward(const Tensor& grad_output, const Tensor& indices, int kernel, int stride, int padding,
                         Tensor& grad_input);
void max_pool2d_select(const Tensor& x, const Tensor& indices, Tensor& out);
void adaptive_avg_pool2d(const Tensor& x, Tensor& out);
void adaptive_avg_pool2d_backward(const Tensor& grad_output, Tensor& grad_input);
}  // namespace dforge::cpu

namespace dforge::cuda {
void avg_pool2d(const Tensor& x, int kernel, int stride, int padding, bool count_include_pad, Tensor& out);
void avg_pool2d_backward(const Tensor& grad_output, int kernel, int stride, int padding, bool count_include_pad,
                         Tensor& grad_input);
void max_pool2d(const Tensor& x, int kernel, int stride, int padding, Tensor& out, Tensor& indices);
void max_pool2d_backward(const Tensor& grad_output, const Tensor& indices, int kernel, int stride, int padding,
                         Tensor& grad_input);
void max_pool2d_select(const Tensor& x, const Tensor& indices, Tensor& out);
void adaptive_avg_pool2d(const Tensor& x, Tensor& out);
void adaptive_avg_pool2d_backward(const Tensor& grad_output, Tensor& grad_input);
}  // namespace dforge::cuda
