// The built-in procedural dataset: one MVTec-AD-style tree per surface,
//   OUT/<surface>/train/good/000.png, 000_bl.png, ...
//   OUT/<surface>/test/good/000.png, 000_bl.png, ...
//   OUT/<surface>/test/<defect>/000.png, 000_bl.png, ...
//   OUT/<surface>/ground_truth/<defect>/000_mask.png
// plus OUT/datagen.json recording the options. <name>.png is the RGB frontlight image, <name>_bl.png
// the backlight luminance (so samples carry 4 channels, as in paper 000), the mask 0/255. Every
// image is a pure function of (seed, surface, split, defect kind, index): the same seed gives the
// same bytes on any number of threads, and images are rendered in parallel (OpenMP).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "data/procedural/camera.h"
#include "data/procedural/defects.h"
#include "data/procedural/noise.h"
#include "data/procedural/surfaces.h"

namespace dforge::data {

struct DatagenOptions {
  std::string out;                    // the root folder; created when missing
  std::vector<SurfaceType> surfaces;  // empty: all five
  int normal = 200;                   // normal images per surface, split between train/good and test/good
  int defective = 20;                 // defective images per surface, spread evenly over its kinds
  int size = 256;                     // images are size x size pixels
  uint64_t seed = 0;
  double test_normal_fraction = 0.1;  // share of the normal images put in test/good (at least 1 of 2+)
  int threads = 0;                    // OpenMP threads; 0: the OpenMP default
};

// One image of the tree and where its files go.
struct DatagenItem {
  SurfaceType surface = SurfaceType::plain_weave;
  std::string split;                  // "train" or "test"
  std::optional<DefectKind> defect;   // empty for good images
  int index = 0;                      // within its folder
  std::string image_path, backlight_path, mask_path;  // mask_path empty for good images
  uint64_t key = 0;                   // the image's random stream
};

// The images `options` asks for, in a fixed order (the order of the files on disk).
std::vector<DatagenItem> datagen_layout(const DatagenOptions& options);

// Renders one image of `surface`, normal when `defect` is empty, from stream `key` of `seed`. A
// defective image's mask is never empty: a placement that leaves fewer than a few pixels in the
// image is redrawn.
CapturedImage generate_image(SurfaceType surface, std::optional<DefectKind> defect, int size, uint64_t seed,
                             uint64_t key, const NoiseTable& noise);

// Called after each image with (images done, images in all); from one thread at a time.
using DatagenProgress = std::function<void(int64_t done, int64_t total)>;

// Writes the whole tree; returns the number of images written. Throws (after the running images
// finish) on the first failure, naming the file.
int64_t generate_dataset(const DatagenOptions& options, const DatagenProgress& progress = {});

}  // namespace dforge::data
