// The AITEX fabric defect layout (Silvestre-Blanes et al., AUTEX Research Journal 2019):
//   ROOT/Defect_images/nnnn_ddd_ff.png        defective, ddd = defect code, ff = fabric code
//   ROOT/Mask_images/nnnn_ddd_ff_mask.png     white = defect; several masks of one image
//                                             (nnnn_ddd_ff_mask1.png, ..._mask2.png) are merged
//   ROOT/NODefect_images/<folder>/nnnn_000_ff.png
// Images are 4096 x 256 grayscale (1 channel). Product = fabric code, defect = defect code. With
// `tile` > 0 every image is cut into tile x tile windows (16 per image at 256); a window of a
// defective image is label 1 only when its part of the mask has defect pixels. A defective image
// without any mask is a problem (reported or skipped, dataset.h).
#pragma once

#include <string>

#include "data/dataset.h"

namespace dforge::data {

struct AitexOptions {
  DatasetOptions dataset;
  int tile = 0;  // 0: whole images
  bool normal = true, defective = true;
};

Dataset load_aitex(const std::string& root, const AitexOptions& options = {});

}  // namespace dforge::data
