// The one place where an op is routed to its CPU or CUDA kernel (dlib's tensor_tools idea): the
// public op in runtime/<family>.cpp validates its arguments, allocates the output, then calls
//   DFORGE_ROUTE(device, kernel_name, args...)
// which calls dforge::cpu::kernel_name or dforge::cuda::kernel_name with the same arguments.
#pragma once

#include "runtime/error.h"
#include "runtime/tensor.h"

namespace dforge {

[[noreturn]] inline void cuda_kernel_unavailable(const char* kernel) {
  throw Error(concat(kernel, ": this defectforge was built without CUDA"));
}

// Throws naming `op` unless every tensor is defined and on the same device as the first.
template <typename... Tensors>
void check_same_device(const char* op, const Tensor& first, const Tensors&... rest) {
  auto check_one = [&](const Tensor& tensor) {
    DFORGE_CHECK(tensor.defined(), op, ": input is an undefined tensor");
    DFORGE_CHECK(tensor.device() == first.device(), op, ": tensors on different devices (",
                 first.describe(), " and ", tensor.describe(), ")");
  };
  check_one(first);
  (check_one(rest), ...);
}

// Throws naming `op` unless every tensor has the dtype of the first.
template <typename... Tensors>
void check_same_dtype(const char* op, const Tensor& first, const Tensors&... rest) {
  auto check_one = [&](const Tensor& tensor) {
    DFORGE_CHECK(tensor.dtype() == first.dtype(), op, ": dtypes differ (", first.describe(), " and ",
                 tensor.describe(), ")");
  };
  (check_one(rest), ...);
}

}  // namespace dforge

#ifdef DFORGE_WITH_CUDA
#define DFORGE_ROUTE(device, kernel, ...)                              \
  do {                                                                 \
    if ((device).is_cpu()) ::dforge::cpu::kernel(__VA_ARGS__);         \
    else ::dforge::cuda::kernel(__VA_ARGS__);                          \
  } while (0)
#else
#define DFORGE_ROUTE(device, kernel, ...)                              \
  do {                                                                 \
    if ((device).is_cpu()) ::dforge::cpu::kernel(__VA_ARGS__);         \
    else ::dforge::cuda_kernel_unavailable(#kernel);                   \
  } while (0)
#endif
