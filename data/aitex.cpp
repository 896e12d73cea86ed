// Reading the AITEX layout of aitex.h.
#include "data/aitex.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "data/files.h"
#include "runtime/error.h"

namespace dforge::data {

namespace {

// nnnn_ddd_ff -> (ddd, ff); names that do not follow the pattern give ("", "").
void parse_name(const std::string& stem, std::string& defect, std::string& fabric) {
  const size_t first = stem.find('_');
  const size_t second = first == std::string::npos ? std::string::npos : stem.find('_', first + 1);
  if (second == std::string::npos) return;
  defect = stem.substr(first + 1, second - first - 1);
  const size_t third = stem.find('_', second + 1);
  fabric = stem.substr(second + 1, third == std::string::npos ? std::string::npos : third - second - 1);
}

// Mask files by the image stem they belong to: "<stem>_mask*.<ext>".
std::map<std::string, std::vector<std::string>> masks_by_stem(const std::filesystem::path& folder) {
  std::map<std::string, std::vector<std::string>> masks;
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) return masks;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (!entry.is_regular_file(error) || !is_image_file(entry.path().string())) continue;
    const std::string stem = entry.path().stem().string();
    const size_t marker = stem.rfind("_mask");
    if (marker == std::string::npos) continue;
    masks[stem.substr(0, marker)].push_back(entry.path().string());
  }
  for (auto& [stem, paths] : masks) std::sort(paths.begin(), paths.end());
  return masks;
}

// Adds `entry` whole, or one entry per tile x tile window when tiling.
void add_tiled(SampleEntry entry, int tile, std::vector<SampleEntry>& entries) {
  const std::optional<ImageHeader> header = tile > 0 ? read_image_header(entry.image_path) : std::nullopt;
  if (!header || header->width < tile || header->height < tile) {
    entries.push_back(std::move(entry));  // unreadable or too small: the dataset check reports it
    return;
  }
  for (int y = 0; y + tile <= header->height; y += tile)
    for (int x = 0; x + tile <= header->width; x += tile) {
      SampleEntry window = entry;
      window.window_x = x;
      window.window_y = y;
      window.window_width = tile;
      window.window_height = tile;
      if (window.label == 1) window.label = -1;  // decided by the window's part of the mask
      entries.push_back(std::move(window));
    }
}

}  // namespace

Dataset load_aitex(const std::string& root, const AitexOptions& options) {
  DFORGE_CHECK(options.tile >= 0, "aitex: tile ", options.tile, " must not be negative");
  const std::filesystem::path base(root);
  std::error_code error;
  DFORGE_CHECK(std::filesystem::is_directory(base / "Defect_images", error) ||
                   std::filesystem::is_directory(base / "NODefect_images", error),
               "aitex: ", root, ": no AITEX tree (expected Defect_images/ and NODefect_images/)");
  std::vector<SampleEntry> entries;
  if (options.defective) {
    const auto masks = masks_by_stem(base / "Mask_images");
    for (const std::string& image : list_images((base / "Defect_images").string())) {
      SampleEntry entry;
      entry.image_path = image;
      const std::string stem = std::filesystem::path(image).stem().string();
      parse_name(stem, entry.defect, entry.product);
      entry.label = 1;
      entry.mask_required = true;
      if (const auto found = masks.find(stem); found != masks.end()) entry.mask_paths = found->second;
      add_tiled(std::move(entry), options.tile, entries);
    }
  }
  if (options.normal) {
    for (const std::string& image : list_images((base / "NODefect_images").string(), true)) {
      SampleEntry entry;
      entry.image_path = image;
      std::string code;
      parse_name(std::filesystem::path(image).stem().string(), code, entry.product);
      if (entry.product.empty()) entry.product = std::filesystem::path(image).parent_path().filename().string();
      entry.defect = "good";
      entry.label = 0;
      add_tiled(std::move(entry), options.tile, entries);
    }
  }
  return Dataset("aitex", std::move(entries), options.dataset);
}

}  // namespace dforge::data
