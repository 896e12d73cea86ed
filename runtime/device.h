// Where a tensor lives: the host, or the (single) CUDA device.
#pragma once

#include <string>

namespace dforge {

enum class DeviceType : uint8_t { cpu, cuda };

struct Device {
  DeviceType type = DeviceType::cpu;

  static Device cpu() { return {DeviceType::cpu}; }
  static Device cuda() { return {DeviceType::cuda}; }
  // "cpu" or "cuda" (also "cuda:0"); throws on anything else.
  static Device parse(const std::string& name);

  bool is_cpu() const { return type == DeviceType::cpu; }
  bool is_cuda() const { return type == DeviceType::cuda; }
  bool operator==(const Device&) const = default;
  std::string name() const { return is_cpu() ? "cpu" : "cuda"; }
};

// True when this binary was built with the CUDA backend and a GPU is visible.
bool cuda_available();

}  // namespace dforge
