// The --device option of the commands: "auto" (cuda when a GPU is visible, else cpu), "cpu" or
// "cuda". Asking for cuda where this build has no CUDA backend or no GPU is visible is an error.
#pragma once

#include <string>

#include "runtime/device.h"

namespace dforge::apps {

Device device_from_option(const std::string& name);

}  // namespace dforge::apps
