// The CUDA backend's device-level entry points (runtime/cuda_backend.h): the caching allocator, the
// compute stream, the cuBLAS handle, host/device copies and error reporting.
//
// Caching allocator: a request is rounded up to a size class (four classes per power of two, at
// least 512 bytes, so at most 25% is wasted) and served from that class's free list, or from
// cudaMalloc when the list is empty. Freed blocks go back to their list, never to the driver, so a
// training loop stops calling cudaMalloc after its first step. Reuse needs no event or
// synchronisation because every kernel and copy runs on the one compute stream: whatever the next
// owner of a block does is queued behind everything the previous owner queued. When cudaMalloc
// fails, the cached blocks are released and the request is tried once more.
// DFORGE_CUDA_NO_CACHING=1 turns the cache off (exact-size cudaMalloc/cudaFree per tensor), so
// compute-sanitizer sees every tensor as its own allocation and reports any access past its end.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "runtime/cuda/common.cuh"
#include "runtime/cuda_backend.h"

namespace dforge::cuda {

void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
  throw Error(concat("CUDA error at ", file, ":", line, ": ", call, ": ", cudaGetErrorName(status), " (",
                     cudaGetErrorString(status), ")"));
}

void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line) {
  throw Error(concat("cuBLAS error at ", file, ":", line, ": ", call, ": ", cublasGetStatusName(status), " (",
                     cublasGetStatusString(status), ")"));
}

namespace {

bool environment_flag(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && std::strcmp(value, "1") == 0;
}

constexpr size_t kSmallestClass = 512;

// The smallest class >= bytes: classes are 512 and then, in every octave [2^e, 2^(e+1)), the four
// sizes 2^e (1 + q/4), q = 1..4.
size_t size_class(size_t bytes) {
  if (bytes <= kSmallestClass) return kSmallestClass;
  const size_t last = bytes - 1;
  int top_bit = 63;
  while (!(last >> top_bit)) --top_bit;
  const size_t step = size_t(1) << (top_bit - 2);
  return (last / step + 1) * step;
}

class CachingAllocator {
 public:
  void* allocate(size_t bytes) {
    if (bytes == 0) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    const size_t block = caching_ ? size_class(bytes) : bytes;
    void* pointer = nullptr;
    const auto cached = free_lists_.find(block);
    if (cached != free_lists_.end() && !cached->second.empty()) {
      pointer = cached->second.back();
      cached->second.pop_back();
      stats_.cached_bytes -= block;
      ++stats_.reused_allocations;
    } else {
      pointer = malloc_with_retry(block, bytes);
    }
    stats_.in_use_bytes += block;
    if (stats_.in_use_bytes > stats_.peak_in_use_bytes) stats_.peak_in_use_bytes = stats_.in_use_bytes;
    if (poison_) DFORGE_CUDA_CHECK(cudaMemsetAsync(pointer, 0xFF, block, stream()));
    return pointer;
  }

  // Called from Storage's destructor: must not throw.
  void deallocate(void* pointer, size_t bytes) noexcept {
    if (pointer == nullptr) return;
    std::lock_guard<std::mutex> lock(mutex_);
    const size_t block = caching_ ? size_class(bytes) : bytes;
    stats_.in_use_bytes -= block;
    if (caching_) {
      try {
        free_lists_[block].push_back(pointer);
        stats_.cached_bytes += block;
        return;
      } catch (const std::bad_alloc&) {
        // No host memory for the list entry: the block goes back to the driver instead.
      }
    }
    // Without the cache the block goes straight back; wait for the kernels that may still use it.
    cudaError_t status = cudaStreamSynchronize(stream());
    if (status == cudaSuccess) status = cudaFree(pointer);
    if (status != cudaSuccess) {
      std::fprintf(stderr, "defectforge: cudaFree of %zu bytes failed: %s\n", bytes,
                   cudaGetErrorString(status));
    }
    stats_.reserved_bytes -= block;
  }

  MemoryStats stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
  }

  void reset_peak() {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.peak_in_use_bytes = stats_.in_use_bytes;
  }

  void release_cached() {
    std::lock_guard<std::mutex> lock(mutex_);
    release_cached_locked();
  }

  void set_poison(bool poison) {
    std::lock_guard<std::mutex> lock(mutex_);
    poison_ = poison;
  }

 private:
  void* malloc_with_retry(size_t block, size_t requested) {
    void* pointer = nullptr;
    cudaError_t status = cudaMalloc(&pointer, block);
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();  // clear the error so later checks do not see it
      release_cached_locked();
      status = cudaMalloc(&pointer, block);
    }
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      throw Error(concat("CUDA out of memory allocating ", requested, " bytes (", stats_.in_use_bytes,
                         " bytes in use by tensors, ", stats_.reserved_bytes, " reserved)"));
    }
    DFORGE_CUDA_CHECK(status);
    ++stats_.device_allocations;
    stats_.reserved_bytes += block;
    return pointer;
  }

  void release_cached_locked() {
    if (stats_.cached_bytes == 0) return;
    DFORGE_CUDA_CHECK(cudaStreamSynchronize(stream()));
    // One block at a time, so the lists and counters stay true if a cudaFree fails part way.
    for (auto& [block, free_list] : free_lists_) {
      while (!free_list.empty()) {
        DFORGE_CUDA_CHECK(cudaFree(free_list.back()));
        free_list.pop_back();
        stats_.reserved_bytes -= block;
        stats_.cached_bytes -= block;
      }
    }
  }

  std::mutex mutex_;
  std::unordered_map<size_t, std::vector<void*>> free_lists_;  // by size class
  MemoryStats stats_;
  bool caching_ = !environment_flag("DFORGE_CUDA_NO_CACHING");
  bool poison_ = false;
};

// Never destroyed: tensors held by static objects may be freed during exit, after any static
// allocator would have been torn down; the driver reclaims the memory at process end.
CachingAllocator& allocator() {
  static CachingAllocator* instance = new CachingAllocator();
  return *instance;
}

void require_device() {
  if (!device_present()) {
    throw Error(
        "cuda: no CUDA device is visible to this process (check the driver, CUDA_VISIBLE_DEVICES, "
        "or use the cpu device)");
  }
}

}  // namespace

bool device_present() {
  static const bool present = [] {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      cudaGetLastError();  // no driver or no device: not an error for a CPU run
      return false;
    }
    return count > 0;
  }();
  return present;
}

cudaStream_t stream() {
  static const cudaStream_t compute_stream = [] {
    require_device();
    cudaStream_t created = nullptr;
    DFORGE_CUDA_CHECK(cudaStreamCreateWithFlags(&created, cudaStreamNonBlocking));
    return created;
  }();
  return compute_stream;
}

cublasHandle_t cublas() {
  static const cublasHandle_t handle = [] {
    cublasHandle_t created = nullptr;
    DFORGE_CUBLAS_CHECK(cublasCreate(&created));
    DFORGE_CUBLAS_CHECK(cublasSetStream(created, stream()));
    // FP32 GEMMs stay FP32 (TF32 rounds inputs to 10 mantissa bits) unless the user opts in.
    const cublasMath_t math =
        environment_flag("DFORGE_TF32") ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH;
    DFORGE_CUBLAS_CHECK(cublasSetMathMode(created, math));
    return created;
  }();
  return handle;
}

int multiprocessor_count() {
  static const int count = [] {
    require_device();
    int device = 0, multiprocessors = 0;
    DFORGE_CUDA_CHECK(cudaGetDevice(&device));
    DFORGE_CUDA_CHECK(cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, device));
    return multiprocessors;
  }();
  return count;
}

void* allocate(size_t bytes) {
  if (bytes == 0) return nullptr;
  require_device();
  return allocator().allocate(bytes);
}

void deallocate(void* pointer, size_t bytes) { allocator().deallocate(pointer, bytes); }

// Host-to-device copies are queued on the stream (the driver stages pageable memory before
// returning, so the source may be freed at once); device-to-host copies wait for the stream,
// since the caller reads the result next.
void copy(void* destination, Device destination_device, const void* source, Device source_device,
          size_t bytes) {
  if (bytes == 0) return;
  if (destination_device.is_cuda() && source_device.is_cuda()) {
    DFORGE_CUDA_CHECK(cudaMemcpyAsync(destination, source, bytes, cudaMemcpyDeviceToDevice, stream()));
  } else if (destination_device.is_cuda()) {
    DFORGE_CUDA_CHECK(cudaMemcpyAsync(destination, source, bytes, cudaMemcpyHostToDevice, stream()));
  } else if (source_device.is_cuda()) {
    DFORGE_CUDA_CHECK(cudaMemcpyAsync(destination, source, bytes, cudaMemcpyDeviceToHost, stream()));
    DFORGE_CUDA_CHECK(cudaStreamSynchronize(stream()));
  } else {
    std::memcpy(destination, source, bytes);
  }
}

void synchronize() {
  if (!device_present()) return;
  DFORGE_CUDA_CHECK(cudaStreamSynchronize(stream()));
}

MemoryStats memory_stats() { return allocator().stats(); }
void reset_peak_memory() { allocator().reset_peak(); }
void release_cached_memory() {
  if (device_present()) allocator().release_cached();
}
void set_poison_allocations(bool poison) { allocator().set_poison(poison); }

}  // namespace dforge::cuda
