// The procedural dataset writer of datagen.h.
#include "data/procedural/datagen.h"

#include <omp.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "runtime/io/image.h"
#include "data/random_stream.h"
#include "runtime/error.h"
#include "runtime/io/atomic_file.h"
#include "runtime/io/image.h"

namespace dforge::data {

namespace {

constexpr uint64_t kProductLabel = 0x70726F64ull;  // "prod"
constexpr uint64_t kDefectLabel = 0x64656665ull;   // "defe"
constexpr uint64_t kCameraLabel = 0x63616D65ull;   // "came"

std::string numbered(int index) {
  char name[16];
  std::snprintf(name, sizeof(name), "%03d", index);
  return name;
}

int64_t pixel_count(const Tensor& mask) {
  const float* values = mask.data<float>();
  int64_t count = 0;
  const int64_t total = mask.numel();
  for (int64_t i = 0; i < total; ++i) count += values[i] > 0.5f;
  return count;
}

}  // namespace

std::vector<DatagenItem> datagen_layout(const DatagenOptions& options) {
  DFORGE_CHECK(options.normal >= 0 && options.defective >= 0, "datagen: --normal ", options.normal,
               " and --defective ", options.defective, " must not be negative");
  DFORGE_CHECK(options.size >= 16 && options.size <= 4096, "datagen: --size ", options.size,
               " must be between 16 and 4096 pixels");
  DFORGE_CHECK(options.test_normal_fraction >= 0.0 && options.test_normal_fraction <= 1.0,
               "datagen: test_normal_fraction ", options.test_normal_fraction, " must be in [0, 1]");
  const std::vector<SurfaceType>& surfaces = options.surfaces.empty() ? all_surface_types() : options.surfaces;
  const std::filesystem::path root(options.out);
  std::vector<DatagenItem> items;
  const int test_good =
      options.normal >= 2 ? std::max(1, int(std::lround(options.normal * options.test_normal_fraction))) : 0;
  for (SurfaceType surface : surfaces) {
    const std::filesystem::path base = root / surface_name(surface);
    auto add = [&](const std::string& split, std::optional<DefectKind> defect, int index) {
      DatagenItem item;
      item.surface = surface;
      item.split = split;
      item.defect = defect;
      item.index = index;
      const std::string folder = defect ? defect_name(*defect) : "good";
      const std::filesystem::path directory = base / split / folder;
      item.image_path = (directory / (numbered(index) + ".png")).string();
      item.backlight_path = (directory / (numbered(index) + "_bl.png")).string();
      if (defect) item.mask_path = (base / "ground_truth" / folder / (numbered(index) + "_mask.png")).string();
      const uint64_t split_label = split == "train" ? 1 : 2;
      item.key = stream_id({uint64_t(surface), split_label, defect ? uint64_t(*defect) + 1 : 0, uint64_t(index)});
      items.push_back(std::move(item));
    };
    for (int i = 0; i < options.normal - test_good; ++i) add("train", std::nullopt, i);
    for (int i = 0; i < test_good; ++i) add("test", std::nullopt, i);
    const std::vector<DefectKind>& kinds = defect_kinds_for(surface);
    for (int i = 0; i < options.defective; ++i) add("test", kinds[size_t(i) % kinds.size()], i / int(kinds.size()));
  }
  return items;
}

CapturedImage generate_image(SurfaceType surface, std::optional<DefectKind> defect, int size, uint64_t seed,
                             uint64_t key, const NoiseTable& noise) {
  RandomStream image(seed, key);
  const RandomStream product(seed, stream_id({kProductLabel, uint64_t(surface)}));
  const SurfaceParameters parameters = sample_surface(surface, size, noise, product, image);
  if (!defect) return capture(render_surface(parameters, nullptr), image.fork(kCameraLabel));
  // A defect placed mostly outside the image, or too thin to cover a pixel, is placed again.
  const int64_t minimum = std::max<int64_t>(4, int64_t(size) * size / 2000);
  constexpr int kAttempts = 12;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    RandomStream defect_stream = image.fork(kDefectLabel + uint64_t(attempt));
    const DefectPlan plan = plan_defect(*defect, parameters, defect_stream);
    SurfaceLayers layers = render_surface(parameters, &plan);
    apply_defect(plan, parameters, layers);
    CapturedImage captured = capture(std::move(layers), image.fork(kCameraLabel));
    if (pixel_count(captured.mask) >= minimum) return captured;
  }
  throw Error(concat("generate_image: could not place a ", defect_name(*defect), " on ", surface_name(surface), " at ",
                     size, "x", size, " leaving at least ", minimum, " mask pixels in ", kAttempts, " attempts"));
}

int64_t generate_dataset(const DatagenOptions& options, const DatagenProgress& progress) {
  DFORGE_CHECK(!options.out.empty(), "datagen: no output folder (--out)");
  const std::vector<DatagenItem> items = datagen_layout(options);
  std::error_code error;
  for (const DatagenItem& item : items) {
    for (const std::string& path : {item.image_path, item.mask_path}) {
      if (path.empty()) continue;
      const std::filesystem::path directory = std::filesystem::path(path).parent_path();
      std::filesystem::create_directories(directory, error);
      DFORGE_CHECK(!error, "datagen: cannot create folder ", directory.string(), ": ", error.message());
    }
  }
  const NoiseTable noise(options.seed);
  std::atomic<int64_t> done{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const int64_t total = int64_t(items.size());
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int64_t index = 0; index < total; ++index) {
    {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (failure) continue;
    }
    try {
      const DatagenItem& item = items[size_t(index)];
      const CapturedImage image =
          generate_image(item.surface, item.defect, options.size, options.seed, item.key, noise);
      io::write_image(item.image_path, image.front, io::BitDepth::eight, io::PngPacking::stored);
      io::write_image(item.backlight_path, image.backlight, io::BitDepth::eight, io::PngPacking::stored);
      if (!item.mask_path.empty()) io::write_image(item.mask_path, image.mask);
      const int64_t finished = ++done;
      if (progress) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        progress(finished, total);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);

  nlohmann::json manifest;
  manifest["generator"] = "dforge datagen";
  manifest["seed"] = options.seed;
  manifest["size"] = options.size;
  manifest["normal"] = options.normal;
  manifest["defective"] = options.defective;
  manifest["test_normal_fraction"] = options.test_normal_fraction;
  nlohmann::json surfaces = nlohmann::json::array();
  for (SurfaceType surface : options.surfaces.empty() ? all_surface_types() : options.surfaces) {
    nlohmann::json kinds = nlohmann::json::array();
    for (DefectKind kind : defect_kinds_for(surface)) kinds.push_back(defect_name(kind));
    surfaces.push_back({{"name", surface_name(surface)}, {"defects", kinds}});
  }
  manifest["surfaces"] = surfaces;
  const std::string text = manifest.dump(2) + "\n";
  io::write_file_atomically((std::filesystem::path(options.out) / "datagen.json").string(),
                            std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  return total;
}

}  // namespace dforge::data
