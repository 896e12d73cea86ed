// PeakMemory on CUDA (the caching allocator's counters) and on the CPU (/proc/self/status).
#include "apps/bench/peak_memory.h"

#include <fstream>
#include <string>

#include "runtime/cuda_backend.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

// A "Name:   1234 kB" line of /proc/self/status, in bytes.
size_t status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  DFORGE_CHECK(status, "bench: cannot read /proc/self/status (peak memory needs Linux)");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1)) * 1024;
  throw Error(concat("bench: /proc/self/status has no ", field, " line"));
}

}  // namespace

void PeakMemory::reset() {
  if (device_.is_cuda()) {
    cuda::reset_peak_memory();
    return;
  }
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.close();
  DFORGE_CHECK(clear_refs, "bench: cannot reset the peak RSS through /proc/self/clear_refs");
  start_bytes_ = status_bytes("VmRSS");
}

size_t PeakMemory::peak_bytes() const {
  if (device_.is_cuda()) return cuda::memory_stats().peak_in_use_bytes;
  const size_t high_water = status_bytes("VmHWM");
  return high_water > start_bytes_ ? high_water - start_bytes_ : 0;
}

}  // namespace dforge::apps
