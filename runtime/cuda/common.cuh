// Shared by every runtime/cuda/*.cu file: the error-check macros (every CUDA and cuBLAS call is
// checked and reported with its file, line and the API's own message), the one compute stream and
// cuBLAS handle, launch helpers for grid-stride kernels, 16-byte packs for vectorised loads, and
// device scratch buffers that come from the caching allocator.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "runtime/error.h"
#include "runtime/tensor.h"

namespace dforge::cuda {

[[noreturn]] void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line);
[[noreturn]] void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line);

}  // namespace dforge::cuda

// Throws dforge::Error("CUDA error at runtime/cuda/x.cu:42: cudaMalloc(...): cudaErrorMemoryAllocation
// (out of memory)") when `call` does not return cudaSuccess.
#define DFORGE_CUDA_CHECK(call)                                                        \
  do {                                                                                 \
    const cudaError_t dforge_cuda_status = (call);                                     \
    if (dforge_cuda_status != cudaSuccess)                                             \
      ::dforge::cuda::throw_cuda_error(dforge_cuda_status, #call, __FILE__, __LINE__); \
  } while (0)

#define DFORGE_CUBLAS_CHECK(call)                                                          \
  do {                                                                                     \
    const cublasStatus_t dforge_cublas_status = (call);                                    \
    if (dforge_cublas_status != CUBLAS_STATUS_SUCCESS)                                     \
      ::dforge::cuda::throw_cublas_error(dforge_cublas_status, #call, __FILE__, __LINE__); \
  } while (0)

// Checks the launch that was just made (bad configuration, too many resources); errors raised
// while the kernel runs surface at the next synchronising call.
#define DFORGE_CUDA_CHECK_LAUNCH() DFORGE_CUDA_CHECK(cudaGetLastError())

namespace dforge::cuda {

// The one stream every kernel, copy and cuBLAS call of the engine is ordered on. Created on first
// use; a non-blocking stream, so nothing on the legacy default stream can serialise with it.
cudaStream_t stream();
// The cuBLAS handle bound to stream(). TF32 tensor-core math is off unless DFORGE_TF32=1.
cublasHandle_t cublas();
int multiprocessor_count();

constexpr int kThreadsPerBlock = 256;

// Blocks for a grid-stride loop over `count` items: enough to fill the GPU, never more than needed.
inline int blocks_for(int64_t count, int threads = kThreadsPerBlock) {
  const int64_t needed = (count + threads - 1) / threads;
  const int64_t enough = int64_t(multiprocessor_count()) * (2048 / threads) * 4;
  return int(needed < enough ? needed : enough);
}

// Launches kernel<<<blocks_for(count), kThreadsPerBlock>>>(arguments...) on stream() and checks
// the launch; does nothing for count == 0 (a zero-sized grid is a launch error).
template <typename... Parameters, typename... Arguments>
void launch_for(int64_t count, void (*kernel)(Parameters...), Arguments&&... arguments) {
  if (count <= 0) return;
  kernel<<<blocks_for(count), kThreadsPerBlock, 0, stream()>>>(static_cast<Arguments&&>(arguments)...);
  DFORGE_CUDA_CHECK_LAUNCH();
}

__device__ __forceinline__ int64_t global_thread_index() {
  return int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ int64_t global_thread_count() { return int64_t(gridDim.x) * blockDim.x; }

// 16 bytes of T, loaded and stored with one vector instruction (float4, double2, ...).
template <typename T>
struct alignas(16) Pack {
  static constexpr int kSize = 16 / sizeof(T);
  T values[kSize];
};

inline bool aligned_16(const void* pointer) { return reinterpret_cast<uintptr_t>(pointer) % 16 == 0; }

// A device buffer of `count` elements of T from the caching allocator, freed (returned to the
// cache) when it goes out of scope. Reuse is safe without synchronising: every later user of the
// block is ordered after this one's kernels on the same stream.
template <typename T>
class Scratch {
 public:
  explicit Scratch(int64_t count)
      : tensor_(Tensor::empty({int64_t(count * int64_t(sizeof(T)))}, DType::u8, Device::cuda())) {}
  T* data() const { return static_cast<T*>(tensor_.raw()); }

 private:
  Tensor tensor_;
};

// Copies `count` elements from the host to a new scratch buffer (stream-ordered).
template <typename T>
Scratch<T> upload(const T* values, int64_t count) {
  Scratch<T> buffer(count);
  if (count > 0) {
    DFORGE_CUDA_CHECK(
        cudaMemcpyAsync(buffer.data(), values, size_t(count) * sizeof(T), cudaMemcpyHostToDevice, stream()));
  }
  return buffer;
}

}  // namespace dforge::cuda
