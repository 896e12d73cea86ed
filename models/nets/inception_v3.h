// The InceptionV3 that pytorch-fid computes FID with (mseitzer/pytorch-fid, inception.py: the
// TensorFlow "pool_3" network ported to PyTorch, "pt_inception-2015-12-05"), up to the 2048-d pooled
// features, with torchvision's Inception3 names, which are the names of pytorch-fid's weight file:
//   Conv2d_1a_3x3 (3->32, s2), Conv2d_2a_3x3 (32->32), Conv2d_2b_3x3 (32->64, pad 1), max pool 3 s2,
//   Conv2d_3b_1x1 (64->80), Conv2d_4a_3x3 (80->192), max pool 3 s2,
//   Mixed_5b/5c/5d  InceptionA (pool features 32, 64, 64)        35x35
//   Mixed_6a        InceptionB (grid reduction)                   17x17
//   Mixed_6b..6e    InceptionC (7x7 channels 128, 160, 160, 192)
//   Mixed_7a        InceptionD (grid reduction)                   8x8
//   Mixed_7b, 7c    InceptionE (the 7c pool branch is a max pool)
//   adaptive average pool to 1x1 -> [N, 2048]
// Each "BasicConv2d" is <name>.conv (no bias) -> <name>.bn (BatchNorm2d, eps 0.001, inference
// statistics) -> ReLU. The FID variants differ from torchvision's blocks in their pool branches: the
// A, C and E average pools exclude the padding from the count (count_include_pad=False), as the
// TF graph does, and Mixed_7c's pool branch is a 3x3 max pool (stride 1, pad 1). The auxiliary
// classifier and fc are not built.
// features() takes images in [0, 1], resizes them to 299x299 (bilinear, align_corners false) and
// maps them to [-1, 1], as pytorch-fid's InceptionV3(resize_input=True, normalize_input=True).
// Random initial weights (normal, std 0.1) exist only for tests: FID loads real ones.
#pragma once

#include <memory>
#include <vector>

#include "layers/module.h"
#include "runtime/random.h"

namespace dforge::models {

class InceptionV3Fid : public Module {
 public:
  static constexpr int kInputSize = 299;
  static constexpr int kFeatureDim = 2048;

  explicit InceptionV3Fid(Generator& generator);

  // [N, 3, H, W] in [0, 1] -> [N, 2048] pooled features.
  Variable features(const Variable& images);
  Variable forward(const Variable& images) override { return features(images); }

 protected:
  std::string type_name() const override { return "InceptionV3Fid"; }

 private:
  std::vector<std::shared_ptr<Module>> stem_;    // the five stem convs, pools in between
  std::vector<std::shared_ptr<Module>> mixed_;   // Mixed_5b .. Mixed_7c
};

}  // namespace dforge::models
