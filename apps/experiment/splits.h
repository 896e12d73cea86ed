// Random splits of a dataset's samples, written as plain folders (the layout of data/folder.h) so
// that every part of an experiment is also a folder any command reads:
//   FOLDER/images/<name>.<ext>      the image (and <name>_bl.<ext>, its backlight companion)
//   FOLDER/masks/<name>.<ext>       its mask, for samples that have one (defective ones)
// <name> is the image's path below the deepest folder holding all of the dataset's images, with '/'
// as '_' (an MVTec surface's train/good/000.png becomes train_good_000.png, next to
// test_good_000.png and test_cut_000.png): unique within a dataset. Files are hard links where the
// file system allows (no copies of a large dataset), copies otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace dforge::apps {

// A seeded permutation of 0..count-1 cut into consecutive parts, one per fraction. Part k ends at
// round(count * (f_0 + ... + f_k)), so the sizes add up to count when the fractions sum to 1 (60/20/20
// of 400 gives 240, 80, 80). Throws when a fraction is negative or they do not sum to 1.
std::vector<std::vector<int64_t>> split_indices(int64_t count, const std::vector<double>& fractions, uint64_t seed);

// Adds the given samples of `dataset` to FOLDER (created when absent). Throws naming the file when a
// sample cannot be linked or copied, when its name is already taken in FOLDER (samples of two
// datasets that flatten to the same name), or when it is a window of an image or has several masks
// (AITEX), which a plain folder cannot express.
void add_to_folder(const data::Dataset& dataset, const std::vector<int64_t>& indices, const std::string& folder);
// Every sample of `dataset`.
void add_to_folder(const data::Dataset& dataset, const std::string& folder);

}  // namespace dforge::apps
