// The images inspectors train and are evaluated on. `--data` is an MVTec AD tree (data/mvtec.h: the
// built-in `dforge datagen` set or a user's) or, when it has an images/ folder, the plain folder
// layout (data/folder.h: labels from the masks).
//   training normals:  <surface>/train/good (MVTec), or the images without a mask (folder)
//   training defects:  every image of `--defects`, a plain folder such as the OUT of
//                      `dforge synth seggan` (OUT/images, OUT/masks); label 1, defect kind
//                      "synthetic" (the source head's "synthetic" class)
//   real defects:      every image of `--real-defects` (plain folder, optional); label 1, source
//                      real. Without them real and synthetic coincide with normal and defective,
//                      and a source head would only fight the class head.
//   test:              <surface>/test/good (label 0) and <surface>/test/<defect> with masks (MVTec),
//                      or every image with labels and masks from its mask (folder)
// Every image is resized to size x size (area filter) and scaled to [-1, 1]; training images are
// flipped horizontally at random.
#pragma once

#include <memory>
#include <string>

#include "data/dataset.h"
#include "data/transforms.h"

namespace dforge::apps {

// Normal images of `data`, plus the images of `defects` and `real_defects` when not empty. Throws
// naming the folder when one holds no usable images, or when their channel counts differ.
std::shared_ptr<const data::Dataset> open_training_images(const std::string& data, const std::string& defects,
                                                          const std::string& real_defects = "");

// The labelled test images of `data`. Throws when it holds no normal or no defective image.
std::shared_ptr<const data::Dataset> open_test_images(const std::string& data);

data::TransformOptions inspect_transforms(int size, bool augment);

}  // namespace dforge::apps
