#include "apps/seggan/seggan_data.h"

#include "data/mvtec.h"

namespace dforge::apps {
namespace {

data::TransformOptions crop_transforms(const models::SegganConfig& config, data::CropMode crop) {
  data::TransformOptions transforms;
  transforms.resize_height = transforms.resize_width = config.resize;
  transforms.crop = crop;
  transforms.crop_height = transforms.crop_width = config.crop;
  transforms.flip_horizontal = true;
  transforms.signed_range = true;
  return transforms;
}

}  // namespace

SegganData open_seggan_data(const std::string& root, const models::SegganConfig& config, int workers) {
  data::MvtecOptions options;
  options.categories = config.surfaces;
  options.split = "train";
  auto normal = std::make_shared<data::Dataset>(data::load_mvtec(root, options));
  options.split = "test";
  auto defective = std::make_shared<data::Dataset>(data::select_entries(
      data::load_mvtec(root, options), [](const data::SampleEntry& entry) { return entry.label == 1; },
      "defective images (test/<defect> with masks)"));
  DFORGE_CHECK(normal->channels() == defective->channels(), root, ": normal images have ", normal->channels(),
               " channels, defective ones ", defective->channels());

  data::LoaderOptions loader;
  loader.batch_size = config.batch;
  loader.workers = workers;
  loader.seed = config.seed;
  SegganData result;
  result.channels = normal->channels();
  result.normal_count = normal->size();
  result.defective_count = defective->size();
  result.normal = std::make_unique<StepBatches>(normal, crop_transforms(config, data::CropMode::random), loader,
                                                root + " normal images");
  loader.seed = config.seed + 1;  // the two streams shuffle independently
  result.defective = std::make_unique<StepBatches>(
      defective, crop_transforms(config, data::CropMode::defect_centred), loader, root + " defective images");
  return result;
}

}  // namespace dforge::apps
