#include "apps/training/gan_data.h"

#include <algorithm>

#include "data/mvtec.h"

namespace dforge::apps {
namespace {

data::TransformOptions crop_transforms(const GanDataOptions& options, data::CropMode crop) {
  data::TransformOptions transforms;
  transforms.resize_height = transforms.resize_width = options.resize;
  transforms.crop = crop;
  transforms.crop_height = transforms.crop_width = options.crop;
  transforms.flip_horizontal = true;
  transforms.signed_range = true;
  return transforms;
}

}  // namespace

GanData open_gan_data(const std::string& root, const GanDataOptions& options) {
  data::MvtecOptions mvtec;
  mvtec.categories = options.surfaces;
  mvtec.split = "train";
  auto normal = std::make_shared<data::Dataset>(data::load_mvtec(root, mvtec));
  mvtec.split = "test";
  auto defective = std::make_shared<data::Dataset>(data::select_entries(
      data::load_mvtec(root, mvtec), [](const data::SampleEntry& entry) { return entry.label == 1; },
      "defective images (test/<defect> with masks)"));
  DFORGE_CHECK(normal->channels() == defective->channels(), root, ": normal images have ", normal->channels(),
               " channels, defective ones ", defective->channels());

  data::LoaderOptions loader;
  loader.batch_size = options.batch;
  loader.workers = options.workers;
  loader.seed = options.seed;
  GanData result;
  result.channels = normal->channels();
  result.normal_count = normal->size();
  result.defective_count = defective->size();
  for (int64_t i = 0; i < defective->size(); ++i) result.defect_kinds.push_back(defective->entry(i).defect);
  std::sort(result.defect_kinds.begin(), result.defect_kinds.end());
  result.defect_kinds.erase(std::unique(result.defect_kinds.begin(), result.defect_kinds.end()),
                            result.defect_kinds.end());
  result.normal = std::make_unique<StepBatches>(normal, crop_transforms(options, data::CropMode::random), loader,
                                                root + " normal images");
  loader.seed = options.seed + 1;  // the two streams shuffle independently
  result.defective = std::make_unique<StepBatches>(
      defective, crop_transforms(options, data::CropMode::defect_centred), loader, root + " defective images");
  return result;
}

}  // namespace dforge::apps
