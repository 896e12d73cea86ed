#include "apps/experiment/splits.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <system_error>

#include "data/random_stream.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kSplitLabel = 0x73706c6974;  // "split"

// Links `from` to `to`, or copies it where links are not possible (another file system).
void link_or_copy(const fs::path& from, const fs::path& to) {
  DFORGE_CHECK(!fs::exists(to), from.string(), ": ", to.string(), " is already there (another image of the same "
               "name was added to this folder)");
  std::error_code error;
  fs::create_hard_link(from, to, error);
  if (!error) return;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  DFORGE_CHECK(!error, from.string(), ": cannot link or copy it to ", to.string(), ": ", error.message());
}

// The deepest folder that holds every image of `dataset`.
fs::path common_folder(const data::Dataset& dataset) {
  fs::path common = fs::path(dataset.entry(0).image_path).parent_path();
  for (int64_t i = 1; i < dataset.size(); ++i) {
    const fs::path folder = fs::path(dataset.entry(i).image_path).parent_path();
    fs::path shared;
    for (auto a = common.begin(), b = folder.begin(); a != common.end() && b != folder.end() && *a == *b; ++a, ++b)
      shared /= *a;
    common = shared;
  }
  return common;
}

// The image's path below `root` with '/' as '_' and without extension: unique within the dataset.
std::string flat_name(const fs::path& image, const fs::path& root) {
  std::string name = fs::relative(image.parent_path(), root).string();
  name = name == "." ? "" : name + "/";
  name += image.stem().string();
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

}  // namespace

std::vector<std::vector<int64_t>> split_indices(int64_t count, const std::vector<double>& fractions, uint64_t seed) {
  DFORGE_CHECK(!fractions.empty(), "split: no fractions given");
  double total = 0;
  for (double fraction : fractions) {
    DFORGE_CHECK(fraction >= 0, "split: fraction ", fraction, " is negative");
    total += fraction;
  }
  DFORGE_CHECK(std::abs(total - 1.0) < 1e-9, "split: the fractions sum to ", total, ", not 1");
  std::vector<int64_t> order(static_cast<size_t>(count));
  std::iota(order.begin(), order.end(), int64_t(0));
  // Fisher-Yates with the dataset loader's random streams: the same seed, the same split everywhere.
  data::RandomStream stream(seed, data::stream_id({kSplitLabel, uint64_t(count)}));
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[size_t(stream.integer(int64_t(i)))]);

  std::vector<std::vector<int64_t>> parts;
  double cumulative = 0;
  int64_t begin = 0;
  for (size_t k = 0; k < fractions.size(); ++k) {
    cumulative += fractions[k];
    const int64_t end = k + 1 == fractions.size() ? count : std::llround(double(count) * cumulative);
    parts.emplace_back(order.begin() + begin, order.begin() + end);
    begin = end;
  }
  return parts;
}

void add_to_folder(const data::Dataset& dataset, const std::vector<int64_t>& indices, const std::string& folder) {
  const fs::path images = fs::path(folder) / "images", masks = fs::path(folder) / "masks";
  fs::create_directories(images);
  if (indices.empty()) return;
  const fs::path root = common_folder(dataset);
  for (int64_t index : indices) {
    const data::SampleEntry& entry = dataset.entry(index);
    DFORGE_CHECK(entry.window_width == 0, entry.image_path, ": a window of an image cannot be split into a folder");
    DFORGE_CHECK(entry.mask_paths.size() <= 1, entry.image_path, ": has ", entry.mask_paths.size(),
                 " masks; a plain folder holds one per image");
    const fs::path image(entry.image_path);
    const std::string name = flat_name(image, root);
    link_or_copy(image, images / (name + image.extension().string()));
    if (!entry.backlight_path.empty()) {
      const fs::path backlight(entry.backlight_path);
      link_or_copy(backlight, images / (name + "_bl" + backlight.extension().string()));
    }
    if (!entry.mask_paths.empty()) {
      fs::create_directories(masks);
      const fs::path mask(entry.mask_paths.front());
      link_or_copy(mask, masks / (name + mask.extension().string()));
    }
  }
}

void add_to_folder(const data::Dataset& dataset, const std::string& folder) {
  std::vector<int64_t> every(static_cast<size_t>(dataset.size()));
  std::iota(every.begin(), every.end(), int64_t(0));
  add_to_folder(dataset, every, folder);
}

}  // namespace dforge::apps
