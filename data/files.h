// Finding a dataset's files: image files in a folder (sorted by name, so every listing is the same
// on every machine), and the companions that travel with an image -- <stem>_bl.<ext> (backlight)
// and <stem>_mask.<ext> (mask) -- which are never listed as images themselves.
#pragma once

#include <string>
#include <vector>

namespace dforge::data {

// True for the extensions read as images: .png, .jpg, .jpeg, .bmp (any case).
bool is_image_file(const std::string& path);

// Image files directly in `directory` (or below it when `recursive`), sorted, without backlight
// and mask companions. Empty when the folder does not exist.
std::vector<std::string> list_images(const std::string& directory, bool recursive = false);

// The file <stem><suffix>.<ext> beside `image_path` for the first extension that exists (the
// image's own first, then .png, .jpg, .jpeg, .bmp), or "" when there is none. With suffix "_bl"
// this finds the backlight image.
std::string find_companion(const std::string& image_path, const std::string& suffix);

// The same lookup for <stem><suffix>.<ext> in `directory`.
std::string find_in_directory(const std::string& directory, const std::string& stem, const std::string& suffix,
                              const std::string& preferred_extension);

}  // namespace dforge::data
