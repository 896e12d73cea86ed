// Loader throughput: samples per second delivered as [N, 4, 256, 256] batches, with the training
// pipeline of paper 000 (defect-centred 256 x 256 crop, flips, 90-degree turns, [-1, 1]).
//
//   bench_loader [--data DIR] [--workers N] [--batch B] [--epochs E] [--crop S]
//
// Without --data it writes a procedural plain-weave set (200 normal + 20 defective, 256 x 256,
// frontlight + backlight + masks) to a temporary folder first and removes it afterwards. Target:
// 500 samples/s or more on 2 cores, so the loader never starves a GPU step.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "data/loader.h"
#include "data/mvtec.h"
#include "data/procedural/datagen.h"

using namespace dforge;
using namespace dforge::data;

int main(int argc, char** argv) {
  std::string data;
  int workers = 2, batch = 8, epochs = 3, crop = 256;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--data") data = value;
    else if (flag == "--workers") workers = std::atoi(value.c_str());
    else if (flag == "--batch") batch = std::atoi(value.c_str());
    else if (flag == "--epochs") epochs = std::atoi(value.c_str());
    else if (flag == "--crop") crop = std::atoi(value.c_str());
    else {
      std::fprintf(stderr, "bench_loader: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  try {
    std::filesystem::path temporary;
    if (data.empty()) {
      temporary = std::filesystem::temp_directory_path() / ("dforge-bench-loader-" + std::to_string(::getpid()));
      DatagenOptions options;
      options.out = temporary.string();
      options.surfaces = {SurfaceType::plain_weave};
      const auto start = std::chrono::steady_clock::now();
      generate_dataset(options);
      std::printf("datagen: 220 images of 256x256 in %.2f s\n",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      data = options.out;
    }
    auto dataset = std::make_shared<const Dataset>(load_mvtec(data));
    TransformOptions transforms;
    transforms.crop = CropMode::defect_centred;
    transforms.crop_height = transforms.crop_width = crop;
    transforms.flip_horizontal = transforms.flip_vertical = transforms.rotate90 = true;
    transforms.signed_range = true;
    LoaderOptions options;
    options.batch_size = batch;
    options.workers = workers;
    Loader loader(dataset, transforms, options);
    std::printf("dataset: %lld samples, %d channels; %d workers, batch %d, %dx%d crops\n",
                (long long)dataset->size(), dataset->channels(), workers, batch, crop, crop);
    int64_t samples = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int epoch = 0; epoch < epochs; ++epoch) {
      loader.start_epoch(epoch);
      while (std::optional<Batch> next = loader.next()) samples += next->size();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("loader: %lld samples in %.2f s = %.0f samples/s\n", (long long)samples, seconds, samples / seconds);
    if (!temporary.empty()) std::filesystem::remove_all(temporary);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_loader: %s\n", error.what());
    return 2;
  }
  return 0;
}
