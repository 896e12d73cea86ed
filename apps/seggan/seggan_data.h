// The two image streams seggan trains on, read from an MVTec AD tree (the built-in dataset or a
// user's): defect-free images from <surface>/train/good, and defective images with their masks
// from <surface>/test/<defect>. Crops follow paper 000: anywhere for defect-free images, centred
// on a random pixel of the defect's bounding box for defective ones; both are flipped at random
// and scaled to [-1, 1].
#pragma once

#include <memory>
#include <string>

#include "apps/training/step_batches.h"
#include "models/seggan/config.h"

namespace dforge::apps {

struct SegganData {
  std::unique_ptr<StepBatches> normal, defective;
  int channels = 0;            // of every image
  int64_t normal_count = 0, defective_count = 0;
};

// Throws naming the folder when it holds no usable tree, or when a chosen surface has no normal
// or no defective images.
SegganData open_seggan_data(const std::string& root, const models::SegganConfig& config, int workers);

}  // namespace dforge::apps
