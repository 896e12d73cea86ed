// File discovery for the dataset readers; see files.h.
#include "data/files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace dforge::data {

namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_companion(const std::filesystem::path& path) {
  const std::string stem = lowercase(path.stem().string());
  return ends_with(stem, "_bl") || stem.find("_mask") != std::string::npos;
}

}  // namespace

bool is_image_file(const std::string& path) {
  const std::string extension = lowercase(std::filesystem::path(path).extension().string());
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".bmp";
}

std::vector<std::string> list_images(const std::string& directory, bool recursive) {
  std::vector<std::string> images;
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) return images;
  auto consider = [&](const std::filesystem::directory_entry& entry) {
    if (entry.is_regular_file(error) && is_image_file(entry.path().string()) && !is_companion(entry.path()))
      images.push_back(entry.path().string());
  };
  if (recursive) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(directory, error)) consider(entry);
  } else {
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) consider(entry);
  }
  std::sort(images.begin(), images.end());
  return images;
}

std::string find_in_directory(const std::string& directory, const std::string& stem, const std::string& suffix,
                              const std::string& preferred_extension) {
  std::error_code error;
  for (const std::string& extension : {preferred_extension, std::string(".png"), std::string(".jpg"),
                                       std::string(".jpeg"), std::string(".bmp")}) {
    if (extension.empty()) continue;
    const std::filesystem::path candidate = std::filesystem::path(directory) / (stem + suffix + extension);
    if (std::filesystem::is_regular_file(candidate, error)) return candidate.string();
  }
  return "";
}

std::string find_companion(const std::string& image_path, const std::string& suffix) {
  const std::filesystem::path path(image_path);
  return find_in_directory(path.parent_path().string(), path.stem().string(), suffix, path.extension().string());
}

}  // namespace dforge::data
