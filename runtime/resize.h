// Upsampling (resizing) of NCHW tensors (f32 or f64) to a given output size, with PyTorch's
// F.interpolate(size=...) source-index rules. Both modes are linear and separable (y = A_h x A_w^T
// per plane); upsample_backward is the adjoint A_h^T dy A_w, computed as a gather.
//   nearest:  src = floor(dst * in / out) (computed exactly in integers).
//   bilinear, align_corners:  src = dst * (in - 1) / (out - 1)   (0 when out == 1).
//   bilinear, otherwise:      src = max((dst + 0.5) * in / out - 0.5, 0).
//   Bilinear then blends i0 = floor(src) and i1 = min(i0 + 1, in - 1) with weights 1 - t and t,
//   t = src - i0, along each dim.
// Any output size >= 1 works (so it also downsamples, with the same rules, like PyTorch).
#pragma once

#include "runtime/tensor.h"

namespace dforge {

enum class UpsampleMode { nearest, bilinear };

const char* upsample_mode_name(UpsampleMode mode);

}  // namespace dforge

namespace dforge::runtime {

// y has shape [N, C, out_h, out_w].
Tensor upsample(const Tensor& x, int out_h, int out_w, UpsampleMode mode, bool align_corners = false);
// The adjoint of upsample for an input of `input_shape`: dx = A_h^T dy A_w.
Tensor upsample_backward(const Tensor& grad_output, const Shape& input_shape, UpsampleMode mode,
                         bool align_corners = false);

}  // namespace dforge::runtime

// Kernels: arguments validated, outputs allocated with their final shapes.
namespace dforge::cpu {
void upsample(const Tensor& x, UpsampleMode mode, bool align_corners, Tensor& out);
void upsample_backward(const Tensor& grad_output, UpsampleMode mode, bool align_corners, Tensor& grad_input);
}  // namespace dforge::cpu

namespace dforge::cuda {
void upsample(const Tensor& x, UpsampleMode mode, bool align_corners, Tensor& out);
void upsample_backward(const Tensor& grad_output, UpsampleMode mode, bool align_corners, Tensor& grad_input);
}  // namespace dforge::cuda
