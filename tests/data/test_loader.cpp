// The threaded loader: batch shapes, every sample once per epoch, the same batches for any number
// of workers and any prefetch depth, new orders per epoch, and bad files skipped or reported.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "data/folder.h"
#include "data/loader.h"
#include "runtime/error.h"
#include "runtime/io/image.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::data;
using Catch::Matchers::Contains;
using testing::TemporaryDirectory;

namespace {

// A folder of `count` 20 x 20 RGB images (distinct noise-free gradients), every third with a mask.
std::string write_folder(const TemporaryDirectory& directory, int count) {
  const std::string root = directory.file("set");
  std::filesystem::create_directories(root + "/images");
  std::filesystem::create_directories(root + "/masks");
  for (int i = 0; i < count; ++i) {
    std::vector<double> values;
    for (int c = 0; c < 3; ++c)
      for (int r = 0; r < 20; ++r)
        for (int k = 0; k < 20; ++k) values.push_back(double((i * 7 + c * 50 + r * 3 + k) % 256) / 255.0);
    const std::string name = "img" + std::to_string(100 + i);
    io::write_image(root + "/images/" + name + ".png", Tensor::from_values(values, {3, 20, 20}));
    if (i % 3 == 0) {
      std::vector<double> mask(400, 0.0);
      mask[size_t(i % 20) * 20 + 5] = 1.0;
      io::write_image(root + "/masks/" + name + ".png", Tensor::from_values(mask, {1, 20, 20}));
    }
  }
  return root;
}

TransformOptions crop_and_flip() {
  TransformOptions transforms;
  transforms.crop = CropMode::defect_centred;
  transforms.crop_height = transforms.crop_width = 12;
  transforms.flip_horizontal = transforms.rotate90 = true;
  transforms.signed_range = true;
  return transforms;
}

// Every batch of one epoch, flattened: images, masks and paths.
struct EpochContent {
  std::vector<double> images, masks;
  std::vector<std::string> paths;
};

EpochContent run_epoch(Loader& loader, int64_t epoch) {
  EpochContent content;
  loader.start_epoch(epoch);
  while (std::optional<Batch> batch = loader.next()) {
    const auto images = batch->images.to_vector(), masks = batch->masks.to_vector();
    content.images.insert(content.images.end(), images.begin(), images.end());
    content.masks.insert(content.masks.end(), masks.begin(), masks.end());
    content.paths.insert(content.paths.end(), batch->paths.begin(), batch->paths.end());
  }
  return content;
}

}  // namespace

TEST_CASE("the loader stacks [N, C, H, W] batches and visits every sample once per epoch", "[data][loader]") {
  TemporaryDirectory directory;
  auto dataset = std::make_shared<const Dataset>(load_folder(write_folder(directory, 10)));
  LoaderOptions options;
  options.batch_size = 4;
  Loader loader(dataset, crop_and_flip(), options);
  CHECK(loader.batches_per_epoch() == 3);
  std::vector<int64_t> sizes;
  std::set<std::string> seen;
  while (std::optional<Batch> batch = loader.next()) {
    sizes.push_back(batch->size());
    CHECK(batch->images.shape() == Shape{batch->size(), 3, 12, 12});
    CHECK(batch->masks.shape() == Shape{batch->size(), 1, 12, 12});
    CHECK(batch->labels.dtype() == DType::i32);
    for (double value : batch->images.to_vector()) REQUIRE((value >= -1.0 && value <= 1.0));
    for (int64_t i = 0; i < batch->size(); ++i) {
      seen.insert(batch->paths[size_t(i)]);
      // Defective samples keep their defect pixel through the defect-centred crop.
      if (batch->labels.data<int32_t>()[i] == 1) {
        double defect = 0;
        for (int p = 0; p < 144; ++p) defect += batch->masks.data<float>()[i * 144 + p];
        CHECK(defect >= 1);
      }
    }
  }
  CHECK(sizes == std::vector<int64_t>{4, 4, 2});
  CHECK(seen.size() == 10);
  options.drop_last = true;
  Loader dropping(dataset, crop_and_flip(), options);
  int batches = 0;
  while (dropping.next()) ++batches;
  CHECK(batches == 2);
}

TEST_CASE("the loader gives the same batches for any number of workers and prefetch depth", "[data][loader]") {
  TemporaryDirectory directory;
  auto dataset = std::make_shared<const Dataset>(load_folder(write_folder(directory, 9)));
  LoaderOptions options;
  options.batch_size = 2;
  options.seed = 42;
  options.workers = 0;
  Loader reference_loader(dataset, crop_and_flip(), options);
  const EpochContent reference = run_epoch(reference_loader, 3);
  for (int workers : {1, 2, 3}) {
    for (int prefetch : {1, 4}) {
      INFO(workers << " workers, prefetch " << prefetch);
      options.workers = workers;
      options.prefetch_batches = prefetch;
      Loader loader(dataset, crop_and_flip(), options);
      const EpochContent content = run_epoch(loader, 3);
      CHECK(content.paths == reference.paths);
      CHECK(content.images == reference.images);
      CHECK(content.masks == reference.masks);
    }
  }
  // Another epoch visits another order; another seed too.
  Loader loader(dataset, crop_and_flip(), options);
  CHECK(run_epoch(loader, 4).paths != reference.paths);
  options.seed = 43;
  Loader reseeded(dataset, crop_and_flip(), options);
  CHECK(run_epoch(reseeded, 3).paths != reference.paths);
  // Without shuffling the order is the dataset's.
  options.shuffle = false;
  Loader ordered(dataset, crop_and_flip(), options);
  const EpochContent in_order = run_epoch(ordered, 0);
  CHECK(std::is_sorted(in_order.paths.begin(), in_order.paths.end()));
}

TEST_CASE("the loader skips files that fail to decode (skip) or reports them (fail)", "[data][loader]") {
  TemporaryDirectory directory;
  const std::string root = write_folder(directory, 6);
  // Cut one image after its header: it passes the dataset check, then fails to decode.
  const std::string broken = root + "/images/img102.png";
  testing::write_bytes(broken, testing::read_bytes(broken).substr(0, 40));
  LoaderOptions options;
  options.batch_size = 5;
  options.workers = 2;
  TransformOptions transforms;  // whole 20 x 20 images

  auto failing = std::make_shared<const Dataset>(load_folder(root));
  Loader strict(failing, transforms, options);
  CHECK_THROWS_WITH([&] { while (strict.next()) {} }(), Contains("img102.png"));

  FolderOptions skip;
  skip.dataset.on_bad = OnBad::skip;
  auto lenient = std::make_shared<const Dataset>(load_folder(root, skip));
  Loader loader(lenient, transforms, options);
  std::vector<int64_t> sizes;
  while (std::optional<Batch> batch = loader.next()) {
    sizes.push_back(batch->size());
    for (const std::string& path : batch->paths) CHECK(path != broken);
  }
  CHECK(sizes == std::vector<int64_t>{5});  // the batch is filled from the samples after the bad one
  CHECK(lenient->skipped_count() == 1);
  CHECK_THAT(lenient->skipped_at_load().at(0).path, Contains("img102.png"));
}

TEST_CASE("the loader refuses samples of different shapes in one batch", "[data][loader]") {
  TemporaryDirectory directory;
  const std::string root = directory.file("mixed");
  std::filesystem::create_directories(root);
  io::write_image(root + "/a.png", Tensor::full({3, 8, 8}, 0.5));
  io::write_image(root + "/b.png", Tensor::full({3, 9, 8}, 0.5));
  LoaderOptions options;
  options.batch_size = 2;
  options.shuffle = false;
  Loader loader(std::make_shared<const Dataset>(load_folder(root)), TransformOptions{}, options);
  CHECK_THROWS_WITH(loader.next(), Contains("b.png") && Contains("add a crop or a resize"));
}
