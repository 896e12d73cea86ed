// Reading the MVTec AD layout of mvtec.h.
#include "data/mvtec.h"

#include <algorithm>
#include <filesystem>

#include "data/files.h"
#include "runtime/error.h"

namespace dforge::data {

namespace {

bool is_category(const std::filesystem::path& folder) {
  std::error_code error;
  return std::filesystem::is_directory(folder / "train", error) || std::filesystem::is_directory(folder / "test", error);
}

std::vector<std::string> sorted_subfolders(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error))
    if (entry.is_directory(error)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void add_category(const std::filesystem::path& folder, const std::string& category, const MvtecOptions& options,
                  std::vector<SampleEntry>& entries) {
  auto add_folder = [&](const std::filesystem::path& images, const std::string& defect) {
    for (const std::string& image : list_images(images.string())) {
      SampleEntry entry;
      entry.image_path = image;
      entry.backlight_path = find_companion(image, "_bl");
      entry.product = category;
      entry.defect = defect;
      entry.label = defect == "good" ? 0 : 1;
      if (entry.label == 1) {
        entry.mask_required = true;
        const std::filesystem::path path(image);
        const std::string mask = find_in_directory((folder / "ground_truth" / defect).string(), path.stem().string(),
                                                   "_mask", path.extension().string());
        // A missing mask is reported by the dataset check (mask_required), naming the image.
        if (!mask.empty()) entry.mask_paths.push_back(mask);
      }
      entries.push_back(std::move(entry));
    }
  };
  if (options.split == "train" || options.split == "all") add_folder(folder / "train" / "good", "good");
  if (options.split == "test" || options.split == "all") {
    add_folder(folder / "test" / "good", "good");
    for (const std::string& defect : sorted_subfolders(folder / "test"))
      if (defect != "good") add_folder(folder / "test" / defect, defect);
  }
}

}  // namespace

Dataset load_mvtec(const std::string& root, const MvtecOptions& options) {
  DFORGE_CHECK(options.split == "train" || options.split == "test" || options.split == "all", "mvtec: split '",
               options.split, "' must be train, test or all");
  const std::filesystem::path base(root);
  std::error_code error;
  DFORGE_CHECK(std::filesystem::is_directory(base, error), "mvtec: ", root, ": no such folder");
  std::vector<std::pair<std::string, std::filesystem::path>> categories;
  if (is_category(base)) {
    categories.push_back({base.filename().string().empty() ? base.parent_path().filename().string()
                                                            : base.filename().string(),
                          base});
  } else {
    for (const std::string& name : sorted_subfolders(base))
      if (is_category(base / name)) categories.push_back({name, base / name});
  }
  DFORGE_CHECK(!categories.empty(), "mvtec: ", root,
               ": no MVTec AD tree (expected train/ and test/ folders, or category folders holding them)");
  for (const std::string& wanted : options.categories) {
    const bool found = std::any_of(categories.begin(), categories.end(), [&](const auto& c) { return c.first == wanted; });
    DFORGE_CHECK(found, "mvtec: ", root, ": no category '", wanted, "'");
  }
  std::vector<SampleEntry> entries;
  for (const auto& [name, folder] : categories) {
    if (!options.categories.empty() &&
        std::find(options.categories.begin(), options.categories.end(), name) == options.categories.end())
      continue;
    add_category(folder, name, options, entries);
  }
  return Dataset("mvtec", std::move(entries), options.dataset);
}

}  // namespace dforge::data
