// The procedural dataset: the tree it writes parses back as MVTec AD with the right counts and
// masks, every defect kind of every surface leaves a non-empty mask, and the bytes depend on the
// seed alone (not on the thread count).
#include <catch2/catch.hpp>

#include <filesystem>

#include "data/mvtec.h"
#include "data/procedural/contact_sheet.h"
#include "data/procedural/datagen.h"
#include "runtime/error.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::data;
using Catch::Matchers::Contains;
using testing::read_bytes;
using testing::TemporaryDirectory;

namespace {

DatagenOptions tiny_options(const std::string& out) {
  DatagenOptions options;
  options.out = out;
  options.surfaces = {SurfaceType::twill, SurfaceType::wood};
  options.normal = 3;
  options.defective = 2;
  options.size = 64;
  options.seed = 7;
  return options;
}

int64_t mask_pixels(const Tensor& mask) {
  int64_t count = 0;
  for (double value : mask.to_vector()) count += value > 0.5;
  return count;
}

}  // namespace

TEST_CASE("datagen writes an MVTec AD tree that load_mvtec reads back", "[data][datagen]") {
  TemporaryDirectory directory;
  const DatagenOptions options = tiny_options(directory.file("set"));
  REQUIRE(generate_dataset(options) == 2 * (3 + 2));
  const std::filesystem::path root(options.out);
  CHECK(std::filesystem::exists(root / "datagen.json"));
  CHECK(std::filesystem::exists(root / "twill" / "train" / "good" / "000.png"));
  CHECK(std::filesystem::exists(root / "twill" / "train" / "good" / "000_bl.png"));
  CHECK(std::filesystem::exists(root / "twill" / "test" / "hole" / "000.png"));
  CHECK(std::filesystem::exists(root / "twill" / "ground_truth" / "hole" / "000_mask.png"));
  CHECK(std::filesystem::exists(root / "wood" / "ground_truth" / "crack" / "000_mask.png"));

  const Dataset all = load_mvtec(options.out);
  REQUIRE(all.size() == 10);
  CHECK(all.channels() == 4);  // RGB frontlight + backlight luminance
  CHECK(all.skipped_count() == 0);
  int normal = 0, defective = 0;
  for (int64_t i = 0; i < all.size(); ++i) {
    const Sample sample = all.load(i);
    CHECK(sample.image.shape() == Shape{4, 64, 64});
    if (sample.label == 1) {
      ++defective;
      REQUIRE(sample.has_mask());
      CHECK(sample.mask.shape() == Shape{1, 64, 64});
      CHECK(mask_pixels(sample.mask) >= 4);
      CHECK(sample.defect != "good");
    } else {
      ++normal;
      CHECK_FALSE(sample.has_mask());
      CHECK(sample.defect == "good");
    }
  }
  CHECK(normal == 6);
  CHECK(defective == 4);

  MvtecOptions train;
  train.split = "train";
  train.categories = {"wood"};
  const Dataset wood_train = load_mvtec(options.out, train);
  CHECK(wood_train.size() == 2);  // 3 normal: 2 train, 1 test/good
  CHECK(wood_train.entry(0).product == "wood");
  // One category folder given directly is read as that category.
  CHECK(load_mvtec((root / "twill").string()).size() == 5);
}

TEST_CASE("every defect kind of every surface leaves a non-empty mask", "[data][datagen]") {
  const NoiseTable noise(3);
  for (SurfaceType surface : all_surface_types()) {
    for (DefectKind kind : defect_kinds_for(surface)) {
      INFO(surface_name(surface) << " / " << defect_name(kind));
      const CapturedImage image = generate_image(surface, kind, 64, 3, stream_id({uint64_t(surface), uint64_t(kind)}), noise);
      CHECK(image.front.shape() == Shape{3, 64, 64});
      CHECK(image.backlight.shape() == Shape{1, 64, 64});
      CHECK(mask_pixels(image.mask) >= 4);
      for (double value : image.front.to_vector()) REQUIRE((value >= 0.0 && value <= 1.0));
    }
    const CapturedImage normal = generate_image(surface, std::nullopt, 64, 3, 99, noise);
    CHECK(mask_pixels(normal.mask) == 0);
  }
}

TEST_CASE("datagen output depends on the seed only, not on the thread count", "[data][datagen]") {
  TemporaryDirectory directory;
  DatagenOptions one = tiny_options(directory.file("one"));
  one.surfaces = {SurfaceType::plain_weave, SurfaceType::marble};
  one.threads = 1;
  DatagenOptions two = one;
  two.out = directory.file("two");
  two.threads = 2;
  DatagenOptions other_seed = one;
  other_seed.out = directory.file("other");
  other_seed.seed = 8;
  generate_dataset(one);
  generate_dataset(two);
  generate_dataset(other_seed);
  int compared = 0, differing = 0;
  for (const DatagenItem& item : datagen_layout(one)) {
    for (const std::string& path : {item.image_path, item.backlight_path, item.mask_path}) {
      if (path.empty()) continue;
      const std::string relative = std::filesystem::relative(path, one.out).string();
      INFO(relative);
      const std::string bytes = read_bytes(path);
      REQUIRE_FALSE(bytes.empty());
      CHECK(bytes == read_bytes((std::filesystem::path(two.out) / relative).string()));
      differing += bytes != read_bytes((std::filesystem::path(other_seed.out) / relative).string());
      ++compared;
    }
  }
  CHECK(compared == 2 * (3 * 2 + 2 * 3));  // per surface: 3 good (image, backlight), 2 defective (+ mask)
  CHECK(differing > compared / 2);
}

TEST_CASE("datagen rejects bad options with a message naming them", "[data][datagen]") {
  CHECK_THROWS_WITH(surface_from_name("velvet"), Contains("velvet") && Contains("plain_weave"));
  CHECK_THROWS_WITH(defect_from_name("dent"), Contains("dent"));
  DatagenOptions options;
  options.out = "/nonexistent";
  options.size = 8;
  CHECK_THROWS_WITH(datagen_layout(options), Contains("--size 8"));
  const NoiseTable noise(0);
  const SurfaceParameters wood = [&] {
    RandomStream image(0, 1);
    return sample_surface(SurfaceType::wood, 64, noise, RandomStream(0, 2), image);
  }();
  RandomStream stream(0, 3);
  CHECK_THROWS_WITH(plan_defect(DefectKind::broken_thread, wood, stream), Contains("broken_thread") && Contains("wood"));
}

TEST_CASE("the contact sheet has a row per surface and a labelled cell per defect kind", "[data][datagen]") {
  ContactSheetOptions options;
  options.surfaces = {SurfaceType::printed};
  options.cell = 32;
  options.render_factor = 1;
  const Tensor sheet = render_contact_sheet(options);
  CHECK(sheet.size(0) == 3);
  CHECK(sheet.size(2) == 6 * (32 + 4) + 4);  // normal + 5 kinds
  CHECK(sheet.size(1) == 20 + 3 * 32 + 2 * 4 + 2 * 4);
}
