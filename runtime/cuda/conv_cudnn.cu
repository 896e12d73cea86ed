// The cuDNN path of the CUDA convolutions (conv_cudnn.cuh). Each operation describes its tensors,
// asks cuDNN's heuristics for its ranking of algorithms once per shape, and keeps the best one that
// is deterministic (CUDNN_DETERMINISTIC: no atomics, so the same bits on every run) and, unless
// DFORGE_TF32=1, does not use TF32 tensor cores. A bias is written into the output first and
// cuDNN adds the convolution to it (beta = 1), as the native path's GEMMs do.
#include "runtime/cuda/conv_cudnn.cuh"
#include "runtime/cuda/conv_mode.h"

#ifdef DFORGE_WITH_CUDNN

#include <cudnn.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "runtime/cuda/blas.cuh"
#include "runtime/cuda/common.cuh"

#define DFORGE_CUDNN_CHECK(call)                                                                            \
  do {                                                                                                      \
    const cudnnStatus_t dforge_cudnn_status = (call);                                                       \
    if (dforge_cudnn_status != CUDNN_STATUS_SUCCESS) {                                                      \
      throw ::dforge::Error(::dforge::concat("cuDNN error at ", __FILE__, ":", __LINE__, ": ", #call, ": ", \
                                             cudnnGetErrorString(dforge_cudnn_status)));                    \
    }                                                                                                       \
  } while (0)

namespace dforge::cuda {

bool cudnn_built() { return true; }

namespace cudnn {

namespace {

constexpr size_t kMostWorkspaceBytes = size_t(1) << 30;

bool tf32_allowed() {
  const char* value = std::getenv("DFORGE_TF32");
  return value != nullptr && std::strcmp(value, "1") == 0;
}

cudnnHandle_t handle() {
  static const cudnnHandle_t created = [] {
    cudnnHandle_t value = nullptr;
    DFORGE_CUDNN_CHECK(cudnnCreate(&value));
    DFORGE_CUDNN_CHECK(cudnnSetStream(value, stream()));
    return value;
  }();
  return created;
}

int dimension(int64_t size) {
  DFORGE_CHECK(size <= INT_MAX, "cudnn: dimension ", size, " exceeds cuDNN's 32-bit sizes");
  return int(size);
}

class TensorDescriptor {
 public:
  explicit TensorDescriptor(const Shape& shape) {
    DFORGE_CUDNN_CHECK(cudnnCreateTensorDescriptor(&value_));
    DFORGE_CUDNN_CHECK(cudnnSetTensor4dDescriptor(value_, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT,
                                                  dimension(shape[0]), dimension(shape[1]),
                                                  dimension(shape[2]), dimension(shape[3])));
  }
  ~TensorDescriptor() { cudnnDestroyTensorDescriptor(value_); }
  TensorDescriptor(const TensorDescriptor&) = delete;
  TensorDescriptor& operator=(const TensorDescriptor&) = delete;
  operator cudnnTensorDescriptor_t() const { return value_; }

 private:
  cudnnTensorDescriptor_t value_ = nullptr;
};

// A filter [K, C, kh, kw]: K output channels of the forward convolution, C input channels.
class FilterDescriptor {
 public:
  explicit FilterDescriptor(const Shape& shape) {
    DFORGE_CUDNN_CHECK(cudnnCreateFilterDescriptor(&value_));
    DFORGE_CUDNN_CHECK(cudnnSetFilter4dDescriptor(value_, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW,
                                                  dimension(shape[0]), dimension(shape[1]),
                                                  dimension(shape[2]), dimension(shape[3])));
  }
  ~FilterDescriptor() { cudnnDestroyFilterDescriptor(value_); }
  FilterDescriptor(const FilterDescriptor&) = delete;
  FilterDescriptor& operator=(const FilterDescriptor&) = delete;
  operator cudnnFilterDescriptor_t() const { return value_; }

 private:
  cudnnFilterDescriptor_t value_ = nullptr;
};

class ConvolutionDescriptor {
 public:
  explicit ConvolutionDescriptor(const ConvParams& params) {
    DFORGE_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&value_));
    DFORGE_CUDNN_CHECK(cudnnSetConvolution2dDescriptor(value_, params.padding, params.padding, params.stride,
                                                       params.stride, params.dilation, params.dilation,
                                                       CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT));
    DFORGE_CUDNN_CHECK(
        cudnnSetConvolutionMathType(value_, tf32_allowed() ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH));
  }
  ~ConvolutionDescriptor() { cudnnDestroyConvolutionDescriptor(value_); }
  ConvolutionDescriptor(const ConvolutionDescriptor&) = delete;
  ConvolutionDescriptor& operator=(const ConvolutionDescriptor&) = delete;
  operator cudnnConvolutionDescriptor_t() const { return value_; }

 private:
  cudnnConvolutionDescriptor_t value_ = nullptr;
};

// An algorithm (its enum value as int), its workspace and math type; algorithm < 0: none qualifies.
struct Choice {
  int algorithm = -1;
  size_t workspace = 0;
  cudnnMathType_t math = CUDNN_FMA_MATH;
};

// The first result of cuDNN's ranking that is deterministic, runs, fits the workspace limit and
// keeps to FP32 math (unless TF32 is allowed; FP16 down-conversion, ALLOW_CONVERSION, never).
template <typename Performance>
Choice first_acceptable(const Performance* results, int count) {
  for (int i = 0; i < count; ++i) {
    const Performance& result = results[i];
    const bool fp32_math = result.mathType == CUDNN_FMA_MATH || result.mathType == CUDNN_DEFAULT_MATH;
    const bool allowed_math = fp32_math || (tf32_allowed() && result.mathType == CUDNN_TENSOR_OP_MATH);
    if (result.status == CUDNN_STATUS_SUCCESS && result.determinism == CUDNN_DETERMINISTIC &&
        result.memory <= kMostWorkspaceBytes && allowed_math) {
      // Without TF32 the descriptor keeps CUDNN_FMA_MATH (DEFAULT_MATH would permit TF32 on sm_80+);
      // with it, the algorithm runs under the math type cuDNN ranked it with, as cuDNN requires.
      return {int(result.algo), result.memory, tf32_allowed() ? result.mathType : CUDNN_FMA_MATH};
    }
  }
  return {};
}

// cuDNN's legacy API takes no empty tensor and at most 2^31 - 1 elements per tensor; such
// convolutions take the native path.
bool fits_cudnn(const Tensor& a, const Tensor& b, const Tensor& c) {
  for (const Tensor* t : {&a, &b, &c}) {
    if (t->numel() == 0 || t->numel() > INT_MAX) return false;
  }
  return true;
}

// Choices by operation and shape, found once.
Choice cached_choice(const std::string& key, const std::function<Choice()>& find) {
  static std::mutex mutex;
  static auto* choices = new std::unordered_map<std::string, Choice>();
  std::lock_guard<std::mutex> lock(mutex);
  auto found = choices->find(key);
  if (found == choices->end()) found = choices->emplace(key, find()).first;
  return found->second;
}

std::string shape_key(const char* op, const Shape& a, const Shape& b, const Shape& c, const ConvParams& p) {
  return concat(op, shape_str(a), shape_str(b), shape_str(c), p.stride, ",", p.padding, ",", p.dilation, ",",
                tf32_allowed());
}

void write_bias(Tensor& out, const Tensor& bias) {
  const int64_t plane = out.size(2) * out.size(3);
  fill_with_bias(out.data<float>(), bias.data<float>(), out.numel(), out.size(1), plane);
}

}  // namespace

bool supports(const Tensor& x) { return x.dtype() == DType::f32 && x.size(0) > 0; }

// y = bias + conv2d(x, W): cudnnConvolutionForward with beta = 1 over the bias.
bool conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
            Tensor& out) {
  if (!supports(x) || !fits_cudnn(x, weight, out)) return false;
  const TensorDescriptor input(x.shape()), output(out.shape());
  const FilterDescriptor filter(weight.shape());
  const ConvolutionDescriptor convolution(params);
  const Choice choice =
      cached_choice(shape_key("forward", x.shape(), weight.shape(), out.shape(), params), [&] {
        cudnnConvolutionFwdAlgoPerf_t results[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
        int count = 0;
        DFORGE_CUDNN_CHECK(cudnnGetConvolutionForwardAlgorithm_v7(
            handle(), input, filter, convolution, output, CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &count, results));
        return first_acceptable(results, count);
      });
  if (choice.algorithm < 0) return false;
  DFORGE_CUDNN_CHECK(cudnnSetConvolutionMathType(convolution, choice.math));
  if (bias.defined()) write_bias(out, bias);
  const float alpha = 1, beta = bias.defined() ? 1 : 0;
  Scratch<uint8_t> workspace(int64_t(choice.workspace));
  DFORGE_CUDNN_CHECK(cudnnConvolutionForward(handle(), &alpha, input, x.data<float>(), filter,
                                             weight.data<float>(), convolution,
                                             cudnnConvolutionFwdAlgo_t(choice.algorithm), workspace.data(),
                                             choice.workspace, &beta, output, out.data<float>()));
  return true;
}

// out = bias + the input adjoint of conv2d with the filter W [Cin, Cout, kh, kw] (x has Cin
// channels, the forward convolution's output side): cudnnConvolutionBackwardData.
bool conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                      Tensor& out) {
  if (!supports(x) || !fits_cudnn(x, weight, out)) return false;
  const TensorDescriptor gradient(x.shape()), image(out.shape());
  const FilterDescriptor filter(weight.shape());
  const ConvolutionDescriptor convolution(params);
  const Choice choice = cached_choice(shape_key("data", x.shape(), weight.shape(), out.shape(), params), [&] {
    cudnnConvolutionBwdDataAlgoPerf_t results[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
    int count = 0;
    DFORGE_CUDNN_CHECK(
        cudnnGetConvolutionBackwardDataAlgorithm_v7(handle(), filter, gradient, convolution, image,
                                                    CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &count, results));
    return first_acceptable(results, count);
  });
  if (choice.algorithm < 0) return false;
  DFORGE_CUDNN_CHECK(cudnnSetConvolutionMathType(convolution, choice.math));
  if (bias.defined()) write_bias(out, bias);
  const float alpha = 1, beta = bias.defined() ? 1 : 0;
  Scratch<uint8_t> workspace(int64_t(choice.workspace));
  DFORGE_CUDNN_CHECK(
      cudnnConvolutionBackwardData(handle(), &alpha, filter, weight.data<float>(), gradient, x.data<float>(),
                                   convolution, cudnnConvolutionBwdDataAlgo_t(choice.algorithm),
                                   workspace.data(), choice.workspace, &beta, image, out.data<float>()));
  return true;
}

// dW = the filter gradient of conv2d summed over the batch: cudnnConvolutionBackwardFilter.
bool conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const ConvParams& params,
                        Tensor& grad_weight) {
  if (!supports(x) || !fits_cudnn(x, grad_output, grad_weight)) return false;
  const TensorDescriptor input(x.shape()), gradient(grad_output.shape());
  const FilterDescriptor filter(grad_weight.shape());
  const ConvolutionDescriptor convolution(params);
  const Choice choice =
      cached_choice(shape_key("filter", x.shape(), grad_weight.shape(), grad_output.shape(), params), [&] {
        cudnnConvolutionBwdFilterAlgoPerf_t results[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
        int count = 0;
        DFORGE_CUDNN_CHECK(cudnnGetConvolutionBackwardFilterAlgorithm_v7(
            handle(), input, gradient, convolution, filter, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &count,
            results));
        return first_acceptable(results, count);
      });
  if (choice.algorithm < 0) return false;
  DFORGE_CUDNN_CHECK(cudnnSetConvolutionMathType(convolution, choice.math));
  const float alpha = 1, beta = 0;
  Scratch<uint8_t> workspace(int64_t(choice.workspace));
  DFORGE_CUDNN_CHECK(cudnnConvolutionBackwardFilter(
      handle(), &alpha, input, x.data<float>(), gradient, grad_output.data<float>(), convolution,
      cudnnConvolutionBwdFilterAlgo_t(choice.algorithm), workspace.data(), choice.workspace, &beta, filter,
      grad_weight.data<float>()));
  return true;
}

}  // namespace cudnn
}  // namespace dforge::cuda

#else  // no cuDNN in this build: every convolution takes the native path

namespace dforge::cuda {

bool cudnn_built() { return false; }

namespace cudnn {
bool supports(const Tensor&) { return false; }
bool conv2d(const Tensor&, const Tensor&, const Tensor&, const ConvParams&, Tensor&) { return false; }
bool conv_transpose2d(const Tensor&, const Tensor&, const Tensor&, const ConvParams&, Tensor&) {
  return false;
}
bool conv2d_weight_grad(const Tensor&, const Tensor&, const ConvParams&, Tensor&) { return false; }
}  // namespace cudnn

}  // namespace dforge::cuda

#endif
