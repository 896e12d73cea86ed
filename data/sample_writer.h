// Writing samples back in the layout the loaders read: an image [C, H, W] in [0, 1] becomes
// <path> (gray or RGB) plus, for a backlight channel (C = 2 or 4), its companion <stem>_bl.png;
// a mask [1, H, W] becomes a 0/255 PNG. Every file is written atomically.
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace dforge::data {

// The backlight companion's path for an image path: dir/<stem>_bl.png.
std::string backlight_path_for(const std::string& image_path);

void write_sample_image(const std::string& path, const Tensor& image);
void write_mask(const std::string& path, const Tensor& mask);

}  // namespace dforge::data
