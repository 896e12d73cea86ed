// Differentiable 2-d convolutions (runtime/conv.h). Three linear ops that are each other's
// adjoints carry every gradient, so gradients of gradients (WGAN-GP, R1) go through them as well:
//   y = conv2d(x, W):            dx = conv2d_input(dy, W),   dW = conv2d_weight(x, dy)
//   z = conv2d_input(g, W):      dg = conv2d(dz, W),         dW = conv2d_weight(dz, g)
//   w = conv2d_weight(x, g):     dx = conv2d_input(g, dw),   dg = conv2d(x, dw)
// conv_transpose2d is conv2d_input with PyTorch's output-size arithmetic and a bias. Bias gradients
// are the differentiable sum of the output gradient over N, H, W.
#pragma once

#include "autograd/variable.h"
#include "runtime/conv.h"

namespace dforge {

// x [N, Cin, H, W], weight [Cout, Cin, kh, kw], bias [Cout] or undefined; zero padding.
// params.output_padding must be 0.
Variable conv2d(const Variable& x, const Variable& weight, const Variable& bias, ConvParams params = {});

// x [N, Cin, H, W], weight [Cin, Cout, kh, kw] (PyTorch ConvTranspose2d layout), bias [Cout] or
// undefined; output size (H-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1.
Variable conv_transpose2d(const Variable& x, const Variable& weight, const Variable& bias, ConvParams params = {});

// The gradient of conv2d with respect to its input (torch.nn.grad.conv2d_input): grad_output
// [N, Cout, H_out, W_out], the conv2d weight [Cout, Cin, kh, kw] -> input_shape [N, Cin, H, W].
// Any input_shape whose conv2d output is grad_output's shape (odd sizes at stride 2 included).
Variable conv2d_input(const Variable& grad_output, const Variable& weight, const Shape& input_shape,
                      ConvParams params = {});

// The gradient of conv2d with respect to its weight (torch.nn.grad.conv2d_weight), summed over the
// batch: x [N, Cin, H, W], grad_output [N, Cout, H_out, W_out] -> weight_shape [Cout, Cin, kh, kw].
Variable conv2d_weight(const Variable& x, const Variable& grad_output, const Shape& weight_shape,
                       ConvParams params = {});

}  // namespace dforge
