#include "apps/inspect/inspect_data.h"

#include <filesystem>

#include "data/folder.h"
#include "data/mvtec.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

bool is_folder_layout(const std::string& root) { return std::filesystem::is_directory(std::filesystem::path(root) / "images"); }

// `split` is "train" or "test" for an MVTec tree; a folder layout has no splits.
data::Dataset load_any(const std::string& root, const std::string& split) {
  if (is_folder_layout(root)) return data::load_folder(root);
  data::MvtecOptions options;
  options.split = split;
  return data::load_mvtec(root, options);
}

std::vector<data::SampleEntry> entries_of(const data::Dataset& dataset) {
  std::vector<data::SampleEntry> entries;
  for (int64_t i = 0; i < dataset.size(); ++i) entries.push_back(dataset.entry(i));
  return entries;
}

}  // namespace

std::shared_ptr<const data::Dataset> open_training_images(const std::string& data, const std::string& defects,
                                                          const std::string& real_defects) {
  data::Dataset normal = data::select_entries(
      load_any(data, "train"), [](const data::SampleEntry& entry) { return entry.label == 0; },
      data + ": normal training images");
  if (defects.empty() && real_defects.empty()) return std::make_shared<data::Dataset>(std::move(normal));
  std::vector<data::SampleEntry> entries = entries_of(normal);
  // Every image of `folder` as defective, of defect kind `kind`.
  auto add_defective = [&](const std::string& folder, const std::string& kind) {
    if (folder.empty()) return;
    data::Dataset defective = data::load_folder(folder);
    DFORGE_CHECK(defective.size() > 0, folder, ": no defective images (expected images/ and masks/ folders)");
    DFORGE_CHECK(defective.channels() == normal.channels(), folder, ": images have ", defective.channels(),
                 " channels, the normal images in ", data, " have ", normal.channels());
    for (data::SampleEntry entry : entries_of(defective)) {
      entry.label = 1;
      entry.defect = kind;
      entries.push_back(std::move(entry));
    }
  };
  add_defective(defects, "synthetic");
  add_defective(real_defects, "defect");
  return std::make_shared<data::Dataset>("inspect training images", std::move(entries), data::DatasetOptions{});
}

std::shared_ptr<const data::Dataset> open_test_images(const std::string& data) {
  auto test = std::make_shared<data::Dataset>(load_any(data, "test"));
  int64_t defective = 0;
  for (int64_t i = 0; i < test->size(); ++i) defective += test->entry(i).label != 0;
  DFORGE_CHECK(defective > 0 && defective < test->size(), data, ": the test images need both normal and defective "
               "ones (found ", test->size() - defective, " normal, ", defective, " defective)");
  return test;
}

data::TransformOptions inspect_transforms(int size, bool augment) {
  data::TransformOptions transforms;
  transforms.resize_height = transforms.resize_width = size;
  transforms.flip_horizontal = augment;
  transforms.signed_range = true;
  return transforms;
}

}  // namespace dforge::apps
