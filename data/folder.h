// A plain folder of images, with optional masks of the same names:
//   ROOT/images/**/<name>.<ext>      (or ROOT itself when it has no images/ folder)
//   ROOT/masks/**/<name>.<ext>       or <name>_mask.<ext>, at the same relative path; optional
// An image with a mask is label 1 when the mask has defect pixels, else 0; an image without one
// is label 0 with no mask. Product = the image's subfolder under images/ (the root's name when
// flat); defect = "defect" or "good". Backlight companions <name>_bl.<ext> are used as in MVTec.
#pragma once

#include <string>

#include "data/dataset.h"

namespace dforge::data {

struct FolderOptions {
  DatasetOptions dataset;
  std::string images = "images";
  std::string masks = "masks";
};

Dataset load_folder(const std::string& root, const FolderOptions& options = {});

}  // namespace dforge::data
