// The dataset readers on small fixtures written by the test: AITEX (gray, several masks merged,
// tiles), plain folders (masks optional, backlight companions), MVTec AD; and every bad-input case
// (missing image, unreadable file, mask of another size, channel-count mismatch, missing mask) in
// both --on-bad modes.
#include <catch2/catch.hpp>

#include <filesystem>

#include "data/aitex.h"
#include "data/folder.h"
#include "data/mvtec.h"
#include "runtime/error.h"
#include "runtime/io/image.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::data;
using Catch::Matchers::Contains;
using testing::TemporaryDirectory;
using testing::write_bytes;

namespace {

// A [channels, height, width] image of constant `value`.
Tensor constant_image(int channels, int height, int width, double value) {
  return Tensor::full({channels, height, width}, value);
}

// A one-channel mask with the rectangle [top, top + h) x [left, left + w) white.
Tensor rectangle_mask(int height, int width, int top, int left, int h, int w) {
  std::vector<double> values(size_t(height * width), 0.0);
  for (int r = top; r < top + h; ++r)
    for (int k = left; k < left + w; ++k) values[size_t(r * width + k)] = 1.0;
  return Tensor::from_values(values, {1, height, width});
}

void make_directories(const std::string& path) { std::filesystem::create_directories(path); }

double sum_of(const Tensor& tensor) {
  double total = 0;
  for (double value : tensor.to_vector()) total += value;
  return total;
}

// MVTec tree with one category "cloth": 2 train/good, 1 test/good, 1 test/hole with its mask.
std::string write_mvtec_fixture(const TemporaryDirectory& directory) {
  const std::string root = directory.file("mvtec");
  for (const char* folder : {"cloth/train/good", "cloth/test/good", "cloth/test/hole", "cloth/ground_truth/hole"})
    make_directories(root + "/" + folder);
  io::write_image(root + "/cloth/train/good/000.png", constant_image(3, 16, 16, 0.5));
  io::write_image(root + "/cloth/train/good/001.png", constant_image(3, 16, 16, 0.6));
  io::write_image(root + "/cloth/test/good/000.png", constant_image(3, 16, 16, 0.5));
  io::write_image(root + "/cloth/test/hole/000.png", constant_image(3, 16, 16, 0.4));
  io::write_image(root + "/cloth/ground_truth/hole/000_mask.png", rectangle_mask(16, 16, 4, 4, 3, 5));
  return root;
}

}  // namespace

TEST_CASE("AITEX: gray images, several masks merged, normal subfolders, tiles", "[data][datasets]") {
  TemporaryDirectory directory;
  const std::string root = directory.file("aitex");
  make_directories(root + "/Defect_images");
  make_directories(root + "/Mask_images");
  make_directories(root + "/NODefect_images/2311694-2040n7u");
  // 64 x 16 stands in for 4096 x 256: tiles of 16 give 4 windows per image.
  io::write_image(root + "/Defect_images/0001_002_00.png", constant_image(1, 16, 64, 0.3));
  io::write_image(root + "/Mask_images/0001_002_00_mask.png", rectangle_mask(16, 64, 2, 3, 4, 4));     // tile 0
  io::write_image(root + "/Mask_images/0001_002_00_mask1.png", rectangle_mask(16, 64, 8, 50, 2, 6));   // tile 3
  io::write_image(root + "/NODefect_images/2311694-2040n7u/0002_000_01.png", constant_image(1, 16, 64, 0.7));

  const Dataset whole = load_aitex(root);
  REQUIRE(whole.size() == 2);
  CHECK(whole.channels() == 1);
  const Sample defective = whole.load(0);
  CHECK(defective.image.shape() == Shape{1, 16, 64});
  CHECK(defective.label == 1);
  CHECK(defective.defect == "002");
  CHECK(defective.product == "00");
  CHECK(sum_of(defective.mask) == 4 * 4 + 2 * 6);  // the union of both masks
  const Sample normal = whole.load(1);
  CHECK(normal.label == 0);
  CHECK(normal.product == "01");
  CHECK_FALSE(normal.has_mask());

  AitexOptions tiled;
  tiled.tile = 16;
  const Dataset tiles = load_aitex(root, tiled);
  REQUIRE(tiles.size() == 8);
  std::vector<int> labels;
  for (int64_t i = 0; i < 4; ++i) labels.push_back(tiles.load(i).label);
  CHECK(labels == std::vector<int>{1, 0, 0, 1});
  CHECK(tiles.load(0).image.shape() == Shape{1, 16, 16});
  CHECK(sum_of(tiles.load(3).mask) == 12);
  CHECK(tiles.load(1).defect == "good");
}

TEST_CASE("AITEX: a defective image without a mask is reported or skipped", "[data][datasets]") {
  TemporaryDirectory directory;
  const std::string root = directory.file("aitex");
  make_directories(root + "/Defect_images");
  io::write_image(root + "/Defect_images/0003_010_02.png", constant_image(1, 8, 32, 0.3));
  CHECK_THROWS_WITH(load_aitex(root), Contains("0003_010_02.png") && Contains("without a mask"));
  AitexOptions skip;
  skip.dataset.on_bad = OnBad::skip;
  const Dataset dataset = load_aitex(root, skip);
  CHECK(dataset.size() == 0);
  CHECK(dataset.skipped_count() == 1);
}

TEST_CASE("folder: images with optional masks, subfolders as products, backlight companions", "[data][datasets]") {
  TemporaryDirectory directory;
  const std::string root = directory.file("parts");
  make_directories(root + "/images/front");
  make_directories(root + "/masks/front");
  io::write_image(root + "/images/front/a.png", constant_image(3, 12, 10, 0.2));
  io::write_image(root + "/images/front/a_bl.png", constant_image(1, 12, 10, 0.9));
  io::write_image(root + "/images/front/b.png", constant_image(3, 12, 10, 0.3));
  io::write_image(root + "/images/front/b_bl.png", constant_image(1, 12, 10, 0.8));
  io::write_image(root + "/images/front/c.png", constant_image(3, 12, 10, 0.3));
  io::write_image(root + "/images/front/c_bl.png", constant_image(3, 12, 10, 0.5));  // RGB backlight
  io::write_image(root + "/masks/front/a.png", rectangle_mask(12, 10, 1, 1, 2, 2));
  io::write_image(root + "/masks/front/b_mask.png", rectangle_mask(12, 10, 0, 0, 0, 0));  // empty mask

  const Dataset dataset = load_folder(root);
  REQUIRE(dataset.size() == 3);
  CHECK(dataset.channels() == 4);
  const Sample a = dataset.load(0), b = dataset.load(1), c = dataset.load(2);
  CHECK(a.product == "front");
  CHECK(a.label == 1);
  CHECK(a.defect == "defect");
  CHECK(sum_of(a.mask) == 4);
  CHECK(a.image.to_vector()[3 * 120] == Approx(0.9).margin(1.0 / 255));  // the backlight plane
  CHECK(b.label == 0);
  CHECK(b.has_mask());
  CHECK(c.label == 0);
  CHECK_FALSE(c.has_mask());
  CHECK(c.image.to_vector()[3 * 120] == Approx(0.5).margin(1.0 / 255));  // luminance of gray 0.5

  // A flat folder of images: no masks, the folder's name as product.
  const std::string flat = directory.file("flat");
  make_directories(flat);
  io::write_image(flat + "/x.jpg", constant_image(3, 8, 8, 0.5));
  const Dataset plain = load_folder(flat);
  REQUIRE(plain.size() == 1);
  CHECK(plain.load(0).product == "flat");
  CHECK(plain.channels() == 3);
}

TEST_CASE("MVTec: labels, masks and splits of a hand-made tree", "[data][datasets]") {
  TemporaryDirectory directory;
  const std::string root = write_mvtec_fixture(directory);
  const Dataset all = load_mvtec(root);
  REQUIRE(all.size() == 4);
  CHECK(all.channels() == 3);
  const Sample hole = all.load(3);
  CHECK(hole.label == 1);
  CHECK(hole.defect == "hole");
  CHECK(hole.product == "cloth");
  CHECK(sum_of(hole.mask) == 15);
  MvtecOptions test;
  test.split = "test";
  CHECK(load_mvtec(root, test).size() == 2);
  CHECK_THROWS_WITH(load_mvtec(directory.file("nothing")), Contains("nothing") && Contains("no such folder"));
  MvtecOptions missing;
  missing.categories = {"leather"};
  CHECK_THROWS_WITH(load_mvtec(root, missing), Contains("no category 'leather'"));
}

TEST_CASE("bad inputs fail with one message naming the file, or are skipped and counted", "[data][datasets]") {
  TemporaryDirectory directory;
  const std::string root = write_mvtec_fixture(directory);
  const std::string good = root + "/cloth/train/good/";
  MvtecOptions skip;
  skip.dataset.on_bad = OnBad::skip;

  SECTION("unreadable image") {
    write_bytes(good + "002.png", "this is not a png");
    CHECK_THROWS_WITH(load_mvtec(root), Contains("mvtec: ") && Contains("002.png") && Contains("unreadable image"));
    const Dataset dataset = load_mvtec(root, skip);
    CHECK(dataset.size() == 4);
    CHECK(dataset.skipped_count() == 1);
    CHECK_THAT(dataset.skipped_at_index()[0].path, Contains("002.png"));
  }
  SECTION("mask of another size") {
    io::write_image(root + "/cloth/ground_truth/hole/000_mask.png", rectangle_mask(8, 8, 0, 0, 2, 2));
    CHECK_THROWS_WITH(load_mvtec(root), Contains("000_mask.png") && Contains("mask is 8x8") && Contains("16x16"));
    CHECK(load_mvtec(root, skip).size() == 3);
  }
  SECTION("image of another channel count than the rest") {
    io::write_image(good + "002.png", constant_image(1, 16, 16, 0.5));
    CHECK_THROWS_WITH(load_mvtec(root), Contains("002.png") && Contains("has 1 channels") && Contains("have 3"));
    const Dataset dataset = load_mvtec(root, skip);
    CHECK(dataset.size() == 4);
    CHECK(dataset.channels() == 3);
  }
  SECTION("missing mask of a defective image") {
    std::filesystem::remove(root + "/cloth/ground_truth/hole/000_mask.png");
    CHECK_THROWS_WITH(load_mvtec(root), Contains("test/hole/000.png") && Contains("without a mask"));
    CHECK(load_mvtec(root, skip).skipped_count() == 1);
  }
  SECTION("backlight of another size") {
    io::write_image(good + "000_bl.png", constant_image(1, 8, 16, 0.5));
    CHECK_THROWS_WITH(load_mvtec(root), Contains("000_bl.png") && Contains("backlight image is 16x8"));
  }
  SECTION("missing image (an entry naming a file that is not there)") {
    SampleEntry entry;
    entry.image_path = directory.file("gone.png");
    CHECK_THROWS_WITH(Dataset("folder", {entry}, {}), Contains("folder: ") && Contains("gone.png") && Contains("missing image"));
    DatasetOptions options;
    options.on_bad = OnBad::skip;
    const Dataset dataset("folder", {entry}, options);
    CHECK(dataset.size() == 0);
    CHECK(dataset.skipped_count() == 1);
  }
  SECTION("file that passes the header check but does not decode") {
    // A PNG cut after its header chunk: stb reads the size, decoding fails.
    const std::string bytes = testing::read_bytes(good + "001.png");
    write_bytes(good + "001.png", bytes.substr(0, 40));
    const Dataset dataset = load_mvtec(root);
    REQUIRE(dataset.size() == 4);
    CHECK_THROWS_WITH(dataset.load(1), Contains("001.png"));
  }
  CHECK(on_bad_from_name("skip") == OnBad::skip);
  CHECK_THROWS_WITH(on_bad_from_name("ignore"), Contains("ignore") && Contains("skip or fail"));
}
