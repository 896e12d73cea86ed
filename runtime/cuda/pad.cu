// CUDA padding kernels, mirroring runtime/cpu/pad.cpp: padding is a separable linear map
// (runtime/cuda/separable.cuh) whose 1-D matrix (runtime/separable_maps.h, pad_map) has at most
// one tap of weight 1 per output; it runs as a plain gather, and its adjoint (pad2d_backward) as a
// gather over the transposed map.
#include "runtime/cuda/separable.cuh"
#include "runtime/pad.h"
#include "runtime/separable_maps.h"

namespace dforge::cuda {

void pad2d(const Tensor& x, int left, int right, int top, int bottom, PadMode mode, Tensor& out) {
  cuda::apply_separable(pad_map(x.size(-2), top, bottom, mode), pad_map(x.size(-1), left, right, mode), x,
                        out);
}

void pad2d_backward(const Tensor& grad_output, int left, int right, int top, int bottom, PadMode mode,
                    Tensor& grad_input) {
  cuda::apply_separable_transposed(pad_map(grad_input.size(-2), top, bottom, mode),
                                   pad_map(grad_input.size(-1), left, right, mode), grad_output, grad_input);
}

}  // namespace dforge::cuda
