#include "apps/synthesis/mask_source.h"

#include <filesystem>

#include "data/files.h"
#include "data/random_mask.h"
#include "runtime/elementwise.h"
#include "runtime/error.h"
#include "runtime/io/image.h"
#include "runtime/shape_ops.h"

namespace dforge::apps {
namespace fs = std::filesystem;

Tensor synthesis_mask(const MaskSource& source, const data::Sample& sample, int64_t index, int result) {
  const Shape& image_shape = sample.image.shape();
  if (source.folder.empty()) {
    data::RandomStream stream(source.seed, data::stream_id({uint64_t(index), uint64_t(result)}));
    return data::random_defect_mask(int(image_shape[1]), int(image_shape[2]), stream);
  }
  const std::string stem = fs::path(sample.path).stem().string();
  std::string path = data::find_in_directory(source.folder, stem, "", ".png");
  if (path.empty()) path = data::find_in_directory(source.folder, stem, "_mask", ".png");
  DFORGE_CHECK(!path.empty(), source.folder, ": no mask ", stem, ".png or ", stem, "_mask.png for ", sample.path);
  Tensor mask = runtime::slice(io::read_image(path), 0, 0, 1);
  DFORGE_CHECK(mask.size(1) == image_shape[1] && mask.size(2) == image_shape[2], path, ": mask is ", mask.size(2),
               " x ", mask.size(1), ", its image ", sample.path, " is ", image_shape[2], " x ", image_shape[1]);
  return runtime::binary(runtime::BinaryOp::gt, mask, Tensor::full(mask.shape(), 0.5));
}

}  // namespace dforge::apps
