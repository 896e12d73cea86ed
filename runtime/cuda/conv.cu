// CUDA convolution kernels, mirroring runtime/cpu/conv.cpp: im2col, one cuBLAS GEMM per image of
// the batch, and col2im for the input adjoint (conv_transpose2d). The column matrix and the
// per-element index math of im2col and col2im (a gather: one thread per pixel, no atomics) are
// runtime/conv_columns.h. conv2d is y[Cout, HW_out] = W[Cout, C kh kw] columns; conv_transpose2d is
// col2im(W^T x); the weight adjoint is dW = sum_n dy_n columns_n^T, accumulated in batch order by
// GEMMs with beta = 1.
//
// These are the "native" convolutions; conv_mode.h says when cuDNN (conv_cudnn.cu) runs instead,
// and the dispatch at the end of this file applies it (timing both once per shape for auto).
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "runtime/conv.h"
#include "runtime/conv_columns.h"
#include "runtime/cuda/blas.cuh"
#include "runtime/cuda/conv_cudnn.cuh"
#include "runtime/cuda/conv_mode.h"

namespace dforge::cuda {

namespace {

template <typename T>
__global__ void im2col_kernel(ConvColumns g, int64_t count, const T* image, T* columns) {
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    const int64_t offset = g.image_offset(index);
    columns[index] = offset >= 0 ? image[offset] : T(0);
  }
}

template <typename T>
__global__ void col2im_kernel(ConvColumns g, const T* columns, const T* bias, T* image) {
  const int64_t count = g.image_size();
  for (int64_t index = global_thread_index(); index < count; index += global_thread_count()) {
    image[index] = g.gather_pixel(columns, bias, index);
  }
}

// Sets each of the `channels` rows of length `length` to bias[channel].
template <typename T>
void fill_rows(T* rows, const T* bias, int64_t channels, int64_t length) {
  fill_with_bias(rows, bias, channels * length, channels, length);
}

// The column matrix of `image`: the image itself when pointwise, else im2col into `buffer`.
template <typename T>
const T* columns_of(const ConvColumns& g, const T* image, const Scratch<T>& buffer) {
  if (g.is_pointwise()) return image;
  const int64_t count = g.column_rows() * g.column_cols();
  launch_for(count, im2col_kernel<T>, g, count, image, buffer.data());
  return buffer.data();
}

template <typename T>
Scratch<T> column_buffer(const ConvColumns& g) {
  return Scratch<T>(g.is_pointwise() ? 0 : g.column_rows() * g.column_cols());
}

// y_n[Cout, HW_out] = bias + W[Cout, Cin kh kw] columns(x_n)
void native_conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                   Tensor& out) {
  dispatch_floating(x.dtype(), "conv2d", [&]<typename T>() {
    const ConvColumns g(x.shape(), weight.shape(), out.shape(), params);
    const int64_t out_channels = weight.shape()[0];
    const Scratch<T> buffer = column_buffer<T>(g);
    for (int64_t n = 0; n < x.shape()[0]; ++n) {
      T* result = out.data<T>() + n * out_channels * g.column_cols();
      if (bias.defined()) fill_rows(result, bias.data<T>(), out_channels, g.column_cols());
      const T* columns = columns_of(g, x.data<T>() + n * g.image_size(), buffer);
      gemm(false, false, out_channels, g.column_cols(), g.column_rows(), T(1), weight.data<T>(),
           g.column_rows(), columns, g.column_cols(), T(bias.defined() ? 1 : 0), result, g.column_cols());
    }
  });
}

// out_n = bias + col2im(W^T x_n), with W read as [Cin, Cout kh kw] (x_n is on the column side).
void native_conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                             const ConvParams& params, Tensor& out) {
  dispatch_floating(x.dtype(), "conv_transpose2d", [&]<typename T>() {
    const ConvColumns g(out.shape(), weight.shape(), x.shape(), params);
    const int64_t in_channels = x.shape()[1];
    const T* shift = bias.defined() ? bias.data<T>() : nullptr;
    const Scratch<T> buffer = column_buffer<T>(g);
    for (int64_t n = 0; n < x.shape()[0]; ++n) {
      const T* source = x.data<T>() + n * in_channels * g.column_cols();
      T* image = out.data<T>() + n * g.image_size();
      if (g.is_pointwise()) {  // col2im is the identity: GEMM straight into the image
        if (shift) fill_rows(image, shift, g.channels(), g.column_cols());
        gemm(true, false, g.column_rows(), g.column_cols(), in_channels, T(1), weight.data<T>(),
             g.column_rows(), source, g.column_cols(), T(shift ? 1 : 0), image, g.column_cols());
        continue;
      }
      T* columns = buffer.data();
      gemm(true, false, g.column_rows(), g.column_cols(), in_channels, T(1), weight.data<T>(),
           g.column_rows(), source, g.column_cols(), T(0), columns, g.column_cols());
      launch_for(g.image_size(), col2im_kernel<T>, g, static_cast<const T*>(columns), shift, image);
    }
  });
}

// dW[Cout, Cin kh kw] = sum_n dy_n[Cout, HW_out] columns(x_n)^T, accumulated in batch order.
void native_conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const ConvParams& params,
                               Tensor& grad_weight) {
  dispatch_floating(x.dtype(), "conv2d_weight_grad", [&]<typename T>() {
    const ConvColumns g(x.shape(), grad_weight.shape(), grad_output.shape(), params);
    const int64_t out_channels = grad_weight.shape()[0];
    const int64_t batch = x.shape()[0];
    T* result = grad_weight.data<T>();
    if (batch == 0) DFORGE_CUDA_CHECK(cudaMemsetAsync(result, 0, grad_weight.nbytes(), stream()));
    const Scratch<T> buffer = column_buffer<T>(g);
    for (int64_t n = 0; n < batch; ++n) {
      const T* columns = columns_of(g, x.data<T>() + n * g.image_size(), buffer);
      const T* gradient = grad_output.data<T>() + n * out_channels * g.column_cols();
      gemm(false, true, out_channels, g.column_rows(), g.column_cols(), T(1), gradient, g.column_cols(),
           columns, g.column_cols(), T(n == 0 ? 0 : 1), result, g.column_rows());
    }
  });
}

ConvMode mode_from_environment() {
  const char* value = std::getenv("DFORGE_CONV");
  if (value == nullptr || std::strcmp(value, "native") == 0 || value[0] == '\0') return ConvMode::native;
  if (std::strcmp(value, "cudnn") == 0) return ConvMode::cudnn;
  if (std::strcmp(value, "auto") == 0) return ConvMode::automatic;
  throw Error(concat("DFORGE_CONV='", value, "' is not one of auto, native, cudnn"));
}

std::mutex mode_mutex;
bool mode_set = false;
ConvMode current_mode = ConvMode::native;

float milliseconds_of(const std::function<void()>& run) {
  cudaEvent_t start = nullptr, stop = nullptr;
  DFORGE_CUDA_CHECK(cudaEventCreate(&start));
  DFORGE_CUDA_CHECK(cudaEventCreate(&stop));
  DFORGE_CUDA_CHECK(cudaEventRecord(start, stream()));
  run();
  DFORGE_CUDA_CHECK(cudaEventRecord(stop, stream()));
  DFORGE_CUDA_CHECK(cudaEventSynchronize(stop));
  float elapsed = 0;
  DFORGE_CUDA_CHECK(cudaEventElapsedTime(&elapsed, start, stop));
  DFORGE_CUDA_CHECK(cudaEventDestroy(start));
  DFORGE_CUDA_CHECK(cudaEventDestroy(stop));
  return elapsed;
}

// Runs one convolution the way conv_mode() says (`key` names its operation and shapes). `with_cudnn` returns
// false (writing nothing) when cuDNN cannot take the case; `native` always can. In auto mode the first call
// for `key` runs both once to warm up, times one more run of each and remembers the faster; the output is
// then rewritten by the winner if it did not run last, so every call's output comes from the backend that
// later calls use.
void run_convolution(const std::function<std::string()>& key, const Tensor& x,
                     const std::function<void()>& native, const std::function<bool()>& with_cudnn) {
  const ConvMode mode = conv_mode();
  if (mode == ConvMode::native || !cudnn::supports(x)) return native();
  if (mode == ConvMode::cudnn) {
    if (!with_cudnn()) native();
    return;
  }
  static std::mutex mutex;
  static auto* prefers_cudnn = new std::unordered_map<std::string, bool>();
  {
    std::lock_guard<std::mutex> lock(mutex);
    const auto found = prefers_cudnn->find(key());
    if (found != prefers_cudnn->end()) {
      if (!found->second || !with_cudnn()) native();
      return;
    }
  }
  bool cudnn_wins = false;
  if (with_cudnn()) {
    native();
    const float native_time = milliseconds_of(native);
    const float cudnn_time = milliseconds_of([&] { with_cudnn(); });
    cudnn_wins = cudnn_time < native_time;
    if (!cudnn_wins) native();
  } else {
    native();
  }
  std::lock_guard<std::mutex> lock(mutex);
  prefers_cudnn->emplace(key(), cudnn_wins);
}

std::string convolution_key(const char* op, const Tensor& a, const Tensor& b, const Tensor& out,
                            const ConvParams& params) {
  return concat(op, a.describe(), b.describe(), out.describe(), params.stride, ",", params.padding, ",",
                params.dilation);
}

}  // namespace

ConvMode conv_mode() {
  std::lock_guard<std::mutex> lock(mode_mutex);
  if (!mode_set) {
    current_mode = mode_from_environment();
    mode_set = true;
  }
  return current_mode;
}

void set_conv_mode(ConvMode mode) {
  std::lock_guard<std::mutex> lock(mode_mutex);
  current_mode = mode;
  mode_set = true;
}

void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
            Tensor& out) {
  run_convolution([&] { return convolution_key("conv2d", x, weight, out, params); }, x,
                  [&] { native_conv2d(x, weight, bias, params, out); },
                  [&] { return cudnn::conv2d(x, weight, bias, params, out); });
}

void conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                      Tensor& out) {
  run_convolution([&] { return convolution_key("conv_transpose2d", x, weight, out, params); }, x,
                  [&] { native_conv_transpose2d(x, weight, bias, params, out); },
                  [&] { return cudnn::conv_transpose2d(x, weight, bias, params, out); });
}

void conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const ConvParams& params,
                        Tensor& grad_weight) {
  run_convolution([&] { return convolution_key("conv2d_weight_grad", x, grad_output, grad_weight, params); },
                  x, [&] { native_conv2d_weight_grad(x, grad_output, params, grad_weight); },
                  [&] { return cudnn::conv2d_weight_grad(x, grad_output, params, grad_weight); });
}

}  // namespace dforge::cuda
