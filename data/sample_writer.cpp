#include "data/sample_writer.h"

#include <filesystem>

#include "runtime/elementwise.h"
#include "runtime/error.h"
#include "runtime/io/image.h"
#include "runtime/shape_ops.h"

namespace dforge::data {

std::string backlight_path_for(const std::string& image_path) {
  const std::filesystem::path path(image_path);
  return (path.parent_path() / (path.stem().string() + "_bl.png")).string();
}

void write_sample_image(const std::string& path, const Tensor& image) {
  DFORGE_CHECK(image.ndim() == 3 && image.size(0) >= 1 && image.size(0) <= 4,
               "write_sample_image: ", path, ": expected [C, H, W] with C in 1..4, got ", image.describe());
  const Tensor host = image.to(Device::cpu());
  const int64_t channels = host.size(0);
  if (channels == 1 || channels == 3) {
    io::write_image(path, host);
    return;
  }
  // The last channel is the backlight luminance.
  io::write_image(path, runtime::slice(host, 0, 0, channels - 1));
  io::write_image(backlight_path_for(path), runtime::slice(host, 0, channels - 1, channels));
}

void write_mask(const std::string& path, const Tensor& mask) {
  DFORGE_CHECK(mask.ndim() == 3 && mask.size(0) == 1, "write_mask: ", path, ": expected [1, H, W], got ",
               mask.describe());
  const Tensor host = mask.to(Device::cpu());
  const Tensor half = Tensor::full(host.shape(), 0.5, host.dtype());
  io::write_image(path, runtime::binary(runtime::BinaryOp::gt, host, half).to(DType::f32));
}

}  // namespace dforge::data
