// The two image streams the defect GANs (seggan, defectgan) train on, read from an MVTec AD tree
// (the built-in dataset or a user's): defect-free images from <surface>/train/good, and defective
// images with their masks from <surface>/test/<defect>. Crops follow paper 000: anywhere for
// defect-free images, centred on a random pixel of the defect's bounding box for defective ones;
// both are resized first when asked, flipped at random and scaled to [-1, 1].
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "apps/training/step_batches.h"

namespace dforge::apps {

struct GanDataOptions {
  std::vector<std::string> surfaces;  // empty: every surface of the tree
  int resize = 0;                     // side the images are resized to before cropping; 0: as stored
  int crop = 256;
  int batch = 1;
  uint64_t seed = 0;                  // of the data order and crops (the defective stream uses seed + 1)
  int workers = 2;
};

struct GanData {
  std::unique_ptr<StepBatches> normal, defective;
  int channels = 0;                        // of every image
  int64_t normal_count = 0, defective_count = 0;
  std::vector<std::string> defect_kinds;  // of the defective images, sorted, each once
};

// Throws naming the folder when it holds no usable tree, or when a chosen surface has no normal
// or no defective images.
GanData open_gan_data(const std::string& root, const GanDataOptions& options);

}  // namespace dforge::apps
