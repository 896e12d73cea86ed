// load_metric_weights: the weight file or an error saying how to make one.
#include "metrics/metric_weights.h"

#include <filesystem>

#include "runtime/error.h"
#include "runtime/io/safetensors.h"

namespace dforge::metrics {

NamedTensors load_metric_weights(const std::string& path, const std::string& metric, const std::string& option) {
  const std::string how = metric + " needs pretrained weights: pass " + option +
                          " FILE, a safetensors file written by tools/export_metric_weights.py on a machine with "
                          "internet, torch, torchvision, lpips and pytorch-fid";
  DFORGE_CHECK(!path.empty(), how);
  DFORGE_CHECK(std::filesystem::is_regular_file(path), how, " (", path, " does not exist)");
  return io::load_safetensors(path).tensors;
}

}  // namespace dforge::metrics
