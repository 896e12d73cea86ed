#include "runtime/device.h"

#include "runtime/cuda_backend.h"
#include "runtime/error.h"

namespace dforge {

Device Device::parse(const std::string& name) {
  if (name == "cpu") return cpu();
  if (name == "cuda" || name == "cuda:0") return cuda();
  throw Error(concat("unknown device '", name, "' (expected cpu or cuda)"));
}

bool cuda_available() { return cuda::device_present(); }

}  // namespace dforge
