// CUDA upsampling kernels, mirroring runtime/cpu/resize.cpp: both modes are separable linear maps
// (runtime/cuda/separable.cuh) whose 1-D matrices come from runtime/separable_maps.h, shared with
// the CPU file, following the source-index rules stated in runtime/resize.h. The backward is the adjoint
// map run as a gather, so bilinear upsampling backward is deterministic on the GPU.
#include "runtime/cuda/separable.cuh"
#include "runtime/resize.h"
#include "runtime/separable_maps.h"

namespace dforge::cuda {

void upsample(const Tensor& x, UpsampleMode mode, bool align_corners, Tensor& out) {
  cuda::apply_separable(resize_map(x.size(2), out.size(2), mode, align_corners),
                        resize_map(x.size(3), out.size(3), mode, align_corners), x, out);
}

void upsample_backward(const Tensor& grad_output, UpsampleMode mode, bool align_corners, Tensor& grad_input) {
  cuda::apply_separable_transposed(resize_map(grad_input.size(2), grad_output.size(2), mode, align_corners),
                                   resize_map(grad_input.size(3), grad_output.size(3), mode, align_corners),
                                   grad_output, grad_input);
}

}  // namespace dforge::cuda
