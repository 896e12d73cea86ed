// The MVTec AD layout (Bergmann et al., CVPR 2019), which `dforge datagen` also writes:
//   ROOT/<category>/train/good/*.png
//   ROOT/<category>/test/good/*.png
//   ROOT/<category>/test/<defect>/*.png
//   ROOT/<category>/ground_truth/<defect>/<stem>_mask.png
// ROOT may also be one category folder itself. Each image may have a backlight companion
// <stem>_bl.<ext> beside it (4-channel samples). Train and test/good images are label 0 without a
// mask; test/<defect> images are label 1 and must have their mask. Product = category, defect =
// the folder name. Samples are listed category by category, train before test, sorted by name.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"

namespace dforge::data {

struct MvtecOptions {
  DatasetOptions dataset;
  std::string split = "all";            // "train", "test" or "all"
  std::vector<std::string> categories;  // empty: every category found
};

// Throws naming ROOT when it holds no MVTec AD tree, or an option is wrong.
Dataset load_mvtec(const std::string& root, const MvtecOptions& options = {});

}  // namespace dforge::data
