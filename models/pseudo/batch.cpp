#include "models/pseudo/batch.h"

#include "runtime/error.h"
#include "runtime/shape_ops.h"

namespace dforge::models::pseudo {

PaintedBatch paint_batch(const Tensor& images, const PseudoOptions& options, double defect_probability,
                         uint64_t seed, int64_t step) {
  DFORGE_CHECK(images.ndim() == 4, "pseudo: a batch must be [N, C, H, W], got ", images.describe());
  const int64_t count = images.size(0);
  const Shape one{images.size(1), images.size(2), images.size(3)};
  std::vector<Tensor> painted, masks;
  for (int64_t i = 0; i < count; ++i) {
    data::RandomStream stream(seed, data::stream_id({uint64_t(step), uint64_t(i)}));
    Tensor image = runtime::slice(images, 0, i, i + 1).reshape(one);
    if (stream.chance(defect_probability)) {
      PseudoDefect defect = paint_pseudo_defects(image, options, stream);
      painted.push_back(defect.image.reshape({1, one[0], one[1], one[2]}));
      masks.push_back(defect.mask.reshape({1, 1, one[1], one[2]}));
    } else {
      painted.push_back(image.reshape({1, one[0], one[1], one[2]}));
      masks.push_back(Tensor::zeros({1, 1, one[1], one[2]}, DType::f32, images.device()));
    }
  }
  return {runtime::cat(painted, 0), runtime::cat(masks, 0)};
}

}  // namespace dforge::models::pseudo
