// One-time OpenBLAS set-up for the CPU kernels (see blas.h): one thread, and the fastest kernels the
// CPU supports.
//
// A DYNAMIC_ARCH OpenBLAS (Debian's) picks its kernels from the CPU model. On a model it does not
// know (virtual machines often report a generic "Intel Xeon Processor") it falls back to Prescott,
// SSE3 kernels: measured on such a 2-core VM with AVX-512, sgemm 256x256x2304 ran at 32 GFLOP/s per
// core with Prescott kernels and 147 with SkylakeX ones. So when OpenBLAS chose Prescott and the user
// did not choose (OPENBLAS_CORETYPE unset), the kernels are selected again from the CPU's features.
// The OpenBLAS entry points used for that exist only in DYNAMIC_ARCH builds, hence weak references.
#include "runtime/cpu/blas.h"

#include <cstdlib>
#include <cstring>

extern "C" {
char* openblas_get_corename() __attribute__((weak));
void gotoblas_dynamic_init() __attribute__((weak));
void gotoblas_dynamic_quit() __attribute__((weak));
}

namespace dforge::cpu {

namespace {

// The best OpenBLAS core the CPU (and the OS, which libgcc's checks include) supports, or null.
const char* best_supported_core() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
    return "SkylakeX";
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  return nullptr;
}

void replace_fallback_kernels() {
  if (!openblas_get_corename || !gotoblas_dynamic_init || !gotoblas_dynamic_quit) return;
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;
  const char* current = openblas_get_corename();
  if (current == nullptr || std::strcmp(current, "Prescott") != 0) return;
  const char* core = best_supported_core();
  if (core == nullptr) return;
  setenv("OPENBLAS_CORETYPE", core, 1);  // read by gotoblas_dynamic_init
  gotoblas_dynamic_quit();
  gotoblas_dynamic_init();
}

}  // namespace

void configure_blas() {
  static const bool configured = [] {
    replace_fallback_kernels();
    openblas_set_num_threads(1);
    return true;
  }();
  (void)configured;
}

}  // namespace dforge::cpu
