// Padding of the last two dims (H, W) of a tensor with at least two dims (f32 or f64), with
// PyTorch F.pad semantics:
//   zeros:     out-of-image samples are 0.
//   reflect:   mirrored about the edge sample, which is not repeated (row [1 2 3], 2 left: 3 2 | 1 2 3).
//   replicate: the edge sample is repeated (row [1 2 3], 2 left: 1 1 | 1 2 3).
// Requires every padding >= 0; reflect needs each padding < the size of its dim, replicate a
// non-empty plane. Padding is linear and separable (y = A_h x A_w^T per plane); pad2d_backward is
// the adjoint, computed as a gather (each input sums the outputs that copy it).
#pragma once

#include "runtime/tensor.h"

namespace dforge {

enum class PadMode { zeros, reflect, replicate };

const char* pad_mode_name(PadMode mode);

}  // namespace dforge

namespace dforge::runtime {

// out has shape [..., top + H + bottom, left + W + right].
Tensor pad2d(const Tensor& x, int left, int right, int top, int bottom, PadMode mode = PadMode::zeros);
// The adjoint of pad2d with the same paddings; grad_input has shape [..., H, W] with
// H = grad_output.size(-2) - top - bottom and W = grad_output.size(-1) - left - right.
Tensor pad2d_backward(const Tensor& grad_output, int left, int right, int top, int bottom,
                      PadMode mode = PadMode::zeros);

}  // namespace dforge::runtime

// Kernels: arguments validated, outputs allocated with their final shapes.
namespace dforge::cpu {
void pad2d(const Tensor& x, int left, int right, int top, int bottom, PadMode mode, Tensor& out);
void pad2d_backward(const Tensor& grad_output, int left, int right, int top, int bottom, PadMode mode,
                    Tensor& grad_input);
}  // namespace dforge::cpu

namespace dforge::cuda {
void pad2d(const Tensor& x, int left, int right, int top, int bottom, PadMode mode, Tensor& out);
void pad2d_backward(const Tensor& grad_output, int left, int right, int top, int bottom, PadMode mode,
                    Tensor& grad_input);
}  // namespace dforge::cuda
