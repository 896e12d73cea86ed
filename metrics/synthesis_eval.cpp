// Pairs output, input and mask files and measures each pair (see synthesis_eval.h).
#include "metrics/synthesis_eval.h"

#include <cmath>
#include <filesystem>
#include <limits>

#include "data/dataset.h"
#include "data/files.h"
#include "runtime/error.h"

namespace dforge::metrics {

namespace {

std::string find_mask(const std::string& masks_dir, const std::string& stem, const std::string& extension) {
  const std::string plain = data::find_in_directory(masks_dir, stem, "", extension);
  return plain.empty() ? data::find_in_directory(masks_dir, stem, "_mask", extension) : plain;
}

// The sample entries of both sides, in the order of the output folder's listing.
void pair_files(const std::string& input_dir, const std::string& output_dir, const std::string& masks_dir,
                std::vector<data::SampleEntry>& inputs, std::vector<data::SampleEntry>& outputs) {
  for (const std::string& directory : {input_dir, output_dir, masks_dir})
    DFORGE_CHECK(std::filesystem::is_directory(directory), "eval synth: ", directory, " is not a folder");
  const std::vector<std::string> images = data::list_images(output_dir);
  DFORGE_CHECK(!images.empty(), "eval synth: no images in ", output_dir);
  for (const std::string& output : images) {
    const std::filesystem::path path(output);
    const std::string stem = path.stem().string(), extension = path.extension().string();
    const std::string input = data::find_in_directory(input_dir, stem, "", extension);
    DFORGE_CHECK(!input.empty(), "eval synth: ", output, " has no input image ", stem, ".* in ", input_dir);
    const std::string mask = find_mask(masks_dir, stem, extension);
    DFORGE_CHECK(!mask.empty(), "eval synth: ", output, " has no mask ", stem, ".* or ", stem, "_mask.* in ", masks_dir);
    data::SampleEntry in;
    in.image_path = input;
    in.backlight_path = data::find_companion(input, "_bl");
    in.mask_paths = {mask};
    in.mask_required = true;
    inputs.push_back(in);
    data::SampleEntry out;
    out.image_path = output;
    out.backlight_path = data::find_companion(output, "_bl");
    outputs.push_back(out);
  }
}

void accumulate(double value, double& sum, int64_t& count) {
  if (std::isnan(value)) return;
  sum += value;
  count += 1;
}

// The NaN-skipping means of the images' LPIPS values.
LpipsRegions average_lpips(const std::vector<ImageEvaluation>& images) {
  LpipsRegions sum;
  int64_t all = 0, inside = 0, outside = 0;
  for (const ImageEvaluation& image : images) {
    accumulate(image.lpips->all, sum.all, all);
    accumulate(image.lpips->inside, sum.inside, inside);
    accumulate(image.lpips->outside, sum.outside, outside);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {all ? sum.all / double(all) : nan, inside ? sum.inside / double(inside) : nan,
          outside ? sum.outside / double(outside) : nan};
}

}  // namespace

void average_over_images(const std::vector<ImageEvaluation>& images, MaskedImageMetrics& mean,
                         MaskedImageCounts& counts) {
  mean = {};
  counts = {};
  auto average_region = [&](auto region_of, RegionMetrics& sum, RegionCounts& count) {
    for (const ImageEvaluation& image : images) {
      const RegionMetrics& region = region_of(image.metrics);
      accumulate(region.l1, sum.l1, count.l1);
      accumulate(region.l2, sum.l2, count.l2);
      accumulate(region.ssim, sum.ssim, count.ssim);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    sum.l1 = count.l1 ? sum.l1 / double(count.l1) : nan;
    sum.l2 = count.l2 ? sum.l2 / double(count.l2) : nan;
    sum.ssim = count.ssim ? sum.ssim / double(count.ssim) : nan;
  };
  average_region([](const MaskedImageMetrics& m) -> const RegionMetrics& { return m.all; }, mean.all, counts.all);
  average_region([](const MaskedImageMetrics& m) -> const RegionMetrics& { return m.inside; }, mean.inside, counts.inside);
  average_region([](const MaskedImageMetrics& m) -> const RegionMetrics& { return m.outside; }, mean.outside,
                 counts.outside);
}

SynthesisEvaluation evaluate_synthesis(const std::string& input_dir, const std::string& output_dir,
                                       const std::string& masks_dir, const SsimOptions& options, Lpips* lpips) {
  std::vector<data::SampleEntry> input_entries, output_entries;
  pair_files(input_dir, output_dir, masks_dir, input_entries, output_entries);
  const data::Dataset inputs("eval synth (inputs)", input_entries, {});
  const data::Dataset outputs("eval synth (outputs)", output_entries, {});
  SynthesisEvaluation evaluation;
  for (int64_t i = 0; i < outputs.size(); ++i) {
    const data::Sample input = inputs.load(i), output = outputs.load(i);
    DFORGE_CHECK(input.image.shape() == output.image.shape(), "eval synth: ", output.path, " is ",
                 shape_str(output.image.shape()), " (channels, height, width) but its input ", input.path, " is ",
                 shape_str(input.image.shape()));
    const std::string name = std::filesystem::path(output.path).filename().string();
    ImageEvaluation image{name, masked_image_metrics(input.image, output.image, input.mask, options), std::nullopt};
    if (lpips) image.lpips = lpips_image(*lpips, input.image, output.image, input.mask);
    evaluation.images.push_back(image);
  }
  average_over_images(evaluation.images, evaluation.mean, evaluation.counts);
  if (lpips) evaluation.lpips = average_lpips(evaluation.images);
  return evaluation;
}

}  // namespace dforge::metrics
