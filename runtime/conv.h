// 2-d convolution (cross-correlation, as PyTorch), its two adjoints, and transposed convolution.
// Layout NCHW; weight [Cout, Cin, kh, kw] for conv2d and [Cin, Cout, kh, kw] for conv_transpose2d
// (PyTorch's layouts); bias [Cout] or an undefined tensor. Square stride, padding and dilation;
// zero padding; no groups. Inputs share dtype (f32 or f64) and device; outputs are new tensors.
//
// With y = conv2d(x, W) a linear map A_W x, the adjoints are
//   conv2d_input_grad(dy, W)  = A_W^T dy        (col2im; this IS conv_transpose2d)
//   conv2d_weight_grad(x, dy) = d<dy, A_W x>/dW  (im2col, then dy col^T)
#pragma once

#include "runtime/tensor.h"

namespace dforge {

// Shared by the runtime and autograd levels. output_padding only applies to conv_transpose2d: it
// adds rows/columns at the bottom/right so a stride-s transpose can reach every input size of the
// conv2d it inverts; it must be smaller than stride or dilation (as PyTorch requires).
struct ConvParams {
  int stride = 1;
  int padding = 0;
  int dilation = 1;
  int output_padding = 0;
};

}  // namespace dforge

namespace dforge::runtime {

// H_out = (H + 2 padding - dilation (kh - 1) - 1) / stride + 1 (floor), same for W. Throws naming
// `op` when the window does not fit or the channels disagree.
Shape conv2d_output_shape(const Shape& input, const Shape& weight, const ConvParams& params, const char* op = "conv2d");
// H_out = (H - 1) stride - 2 padding + dilation (kh - 1) + output_padding + 1, same for W.
Shape conv_transpose2d_output_shape(const Shape& input, const Shape& weight, const ConvParams& params);

// x [N, Cin, H, W], weight [Cout, Cin, kh, kw], bias [Cout] or undefined -> [N, Cout, H_out, W_out].
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params);
// The gradient of conv2d with respect to its input: grad_output [N, Cout, H_out, W_out] ->
// input_shape [N, Cin, H, W]. input_shape must be one whose conv2d output is grad_output's shape.
Tensor conv2d_input_grad(const Tensor& grad_output, const Tensor& weight, const Shape& input_shape,
                         const ConvParams& params);
// The gradient of conv2d with respect to its weight, summed over the batch: x [N, Cin, H, W] and
// grad_output [N, Cout, H_out, W_out] -> weight_shape [Cout, Cin, kh, kw].
Tensor conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const Shape& weight_shape,
                          const ConvParams& params);
// x [N, Cin, H, W], weight [Cin, Cout, kh, kw], bias [Cout] or undefined -> [N, Cout, H_out, W_out]
// with H_out from conv_transpose2d_output_shape. Equals conv2d_input_grad(x, weight, that shape) + bias.
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params);
// The same with an explicit output shape [N, Cout, H_out, W_out] (PyTorch's output_size): any shape
// whose conv2d with `weight` gives x's shape. Lets a conv2d backward match every input size.
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                        const Shape& output_shape);

}  // namespace dforge::runtime

// Kernels: shapes are validated and outputs allocated by the runtime API; the geometry is read from
// the tensors' shapes (output_padding is implied by out's shape and not read).
namespace dforge::cpu {
// out = conv2d(x, weight) + bias.
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params, Tensor& out);
// out = conv2d's input adjoint of x with `weight` [Cin, Cout, kh, kw], + bias (may be undefined).
void conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                      Tensor& out);
// grad_weight = sum over the batch of grad_output (x's columns)^T.
void conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const ConvParams& params, Tensor& grad_weight);
}  // namespace dforge::cpu

namespace dforge::cuda {
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params, Tensor& out);
void conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                      Tensor& out);
void conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const ConvParams& params, Tensor& grad_weight);
}  // namespace dforge::cuda
