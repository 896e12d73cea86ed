// The cuDNN path of the CUDA convolutions (see conv_mode.h), same arguments as the kernels in
// runtime/conv.h. Only deterministic algorithms are used (no atomics), with FP32 FMA math unless
// DFORGE_TF32=1, and the workspace comes from the caching allocator.
#pragma once

#include "runtime/conv.h"

namespace dforge::cuda::cudnn {

// True when cuDNN can run this convolution: a cuDNN build, f32 tensors, a non-empty batch, and a
// deterministic algorithm for the operation and tensors of 1 to 2^31 - 1 elements (both checked by
// the operation itself, which returns false without writing anything when they fail).
bool supports(const Tensor& x);

bool conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params, Tensor& out);
bool conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                      Tensor& out);
bool conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const ConvParams& params,
                        Tensor& grad_weight);

}  // namespace dforge::cuda::cudnn
