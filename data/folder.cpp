// Reading the plain folder layout of folder.h.
#include "data/folder.h"

#include <filesystem>

#include "data/files.h"
#include "runtime/error.h"

namespace dforge::data {

Dataset load_folder(const std::string& root, const FolderOptions& options) {
  const std::filesystem::path base(root);
  std::error_code error;
  DFORGE_CHECK(std::filesystem::is_directory(base, error), "folder: ", root, ": no such folder");
  const bool nested = std::filesystem::is_directory(base / options.images, error);
  const std::filesystem::path images = nested ? base / options.images : base;
  const std::filesystem::path masks = base / options.masks;
  const std::string root_name =
      base.filename().string().empty() ? base.parent_path().filename().string() : base.filename().string();
  std::vector<SampleEntry> entries;
  for (const std::string& image : list_images(images.string(), nested)) {
    const std::filesystem::path relative = std::filesystem::relative(image, images, error);
    SampleEntry entry;
    entry.image_path = image;
    entry.backlight_path = find_companion(image, "_bl");
    entry.product = relative.has_parent_path() ? relative.parent_path().string() : root_name;
    entry.defect = "defect";
    entry.label = 0;
    if (nested) {
      const std::string directory = (masks / relative.parent_path()).string();
      const std::string stem = relative.stem().string(), extension = relative.extension().string();
      std::string mask = find_in_directory(directory, stem, "", extension);
      if (mask.empty()) mask = find_in_directory(directory, stem, "_mask", extension);
      if (!mask.empty()) {
        entry.mask_paths.push_back(mask);
        entry.label = -1;  // from the mask's content
      }
    }
    entries.push_back(std::move(entry));
  }
  DFORGE_CHECK(!entries.empty(), "folder: ", images.string(), ": no images (.png, .jpg, .jpeg, .bmp)");
  return Dataset("folder", std::move(entries), options.dataset);
}

}  // namespace dforge::data
