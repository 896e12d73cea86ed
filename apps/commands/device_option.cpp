#include "apps/commands/device_option.h"

#include "runtime/error.h"

namespace dforge::apps {

Device device_from_option(const std::string& name) {
  if (name == "auto") return cuda_available() ? Device::cuda() : Device::cpu();
  const Device device = Device::parse(name);
  DFORGE_CHECK(!device.is_cuda() || cuda_available(), "--device cuda: this build has no CUDA backend or no GPU is visible");
  return device;
}

}  // namespace dforge::apps
