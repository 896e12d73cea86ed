// cuda::device_info(): the GPU's name and nominal memory bandwidth, for bench/.
#include "runtime/cuda/common.cuh"
#include "runtime/cuda_backend.h"

namespace dforge::cuda {

DeviceInfo device_info() {
  stream();  // throws the usual one-line error when no device is visible
  int device = 0, memory_clock_khz = 0, bus_width_bits = 0;
  DFORGE_CUDA_CHECK(cudaGetDevice(&device));
  cudaDeviceProp properties{};
  DFORGE_CUDA_CHECK(cudaGetDeviceProperties(&properties, device));
  DFORGE_CUDA_CHECK(cudaDeviceGetAttribute(&memory_clock_khz, cudaDevAttrMemoryClockRate, device));
  DFORGE_CUDA_CHECK(cudaDeviceGetAttribute(&bus_width_bits, cudaDevAttrGlobalMemoryBusWidth, device));
  // Double data rate: two transfers per clock, bus_width_bits / 8 bytes each.
  return {properties.name, 2.0 * memory_clock_khz * 1e3 * bus_width_bits / 8.0};
}

}  // namespace dforge::cuda
