// Which implementation runs the CUDA convolutions (runtime/cuda/conv.cu):
//   native: im2col + cuBLAS and a gather col2im (ours; f32 and f64);
//   cudnn:  cuDNN restricted to deterministic algorithms (f32 only; f64, empty batches and
//           shapes with no deterministic cuDNN algorithm fall back to native);
//   auto:   times both once per shape and operation, then keeps the faster.
// The mode comes from the environment variable DFORGE_CONV (auto, native or cudnn; default
// native) at first use, or from set_conv_mode. native and cudnn give the same bits from run to
// run; auto is bit-identical within a process but may choose differently in another one when
// the two are close in time.
#pragma once

namespace dforge::cuda {

enum class ConvMode { native, cudnn, automatic };

ConvMode conv_mode();
void set_conv_mode(ConvMode mode);
// True when this build has cuDNN (found by CMake next to the CUDA toolkit, or under CUDNN_ROOT).
bool cudnn_built();

}  // namespace dforge::cuda
