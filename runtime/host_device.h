// DFORGE_HOST_DEVICE marks small inline functions that both the CPU loops and the CUDA kernels
// call, so the two backends share one definition of the math and cannot drift apart.
#pragma once

#if defined(__CUDACC__)
#define DFORGE_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define DFORGE_HOST_DEVICE inline
#endif
