// Checking and reading dataset entries; the rules are in dataset.h.
#include "data/dataset.h"

#include <stb_image.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>

#include "runtime/error.h"
#include "runtime/io/image.h"

namespace dforge::data {

namespace {

// Rec. 709 luma weights: the luminance of a linear RGB triple.
constexpr float kLumaRed = 0.2126f, kLumaGreen = 0.7152f, kLumaBlue = 0.0722f;

std::string size_text(const ImageHeader& header) { return concat(header.width, "x", header.height); }

// The channel count a file gives a sample (see dataset.h), before the backlight.
int colour_channels(int file_channels, bool has_backlight) {
  if (file_channels <= 2) return 1;
  if (file_channels == 4 && has_backlight) return 3;
  return file_channels;
}

// Problems of one entry found from the headers, or "" when it is fine. Sets `channels`.
std::string check_entry(const SampleEntry& entry, int& channels, std::string& culprit) {
  std::error_code error;
  culprit = entry.image_path;
  if (!std::filesystem::is_regular_file(entry.image_path, error)) return "missing image (no such file)";
  const std::optional<ImageHeader> image = read_image_header(entry.image_path);
  if (!image) {
    const char* reason = stbi_failure_reason();
    return concat("unreadable image (", reason ? reason : "not an image", ")");
  }
  if (!entry.backlight_path.empty()) {
    culprit = entry.backlight_path;
    const std::optional<ImageHeader> backlight = read_image_header(entry.backlight_path);
    if (!backlight) return concat("unreadable backlight image (of ", entry.image_path, ")");
    if (backlight->width != image->width || backlight->height != image->height)
      return concat("backlight image is ", size_text(*backlight), ", the image ", entry.image_path, " is ",
                    size_text(*image));
  }
  for (const std::string& mask_path : entry.mask_paths) {
    culprit = mask_path;
    if (!std::filesystem::is_regular_file(mask_path, error))
      return concat("missing mask (no such file) for ", entry.image_path);
    const std::optional<ImageHeader> mask = read_image_header(mask_path);
    if (!mask) return concat("unreadable mask of ", entry.image_path);
    if (mask->width != image->width || mask->height != image->height)
      return concat("mask is ", size_text(*mask), ", the image ", entry.image_path, " is ", size_text(*image));
  }
  culprit = entry.image_path;
  if (entry.mask_required && entry.mask_paths.empty()) return "defective image without a mask";
  if (entry.window_width > 0) {
    if (entry.window_x < 0 || entry.window_y < 0 || entry.window_x + entry.window_width > image->width ||
        entry.window_y + entry.window_height > image->height)
      return concat("window ", entry.window_width, "x", entry.window_height, " at (", entry.window_x, ", ",
                    entry.window_y, ") is outside the ", size_text(*image), " image");
  }
  channels = colour_channels(image->channels, !entry.backlight_path.empty()) + (entry.backlight_path.empty() ? 0 : 1);
  return "";
}

// Plane `channel` of `source` (f32 [C, H, W]) copied into plane `into` of `target`.
void copy_plane(const Tensor& source, int channel, Tensor& target, int into) {
  const size_t plane = size_t(source.size(1)) * size_t(source.size(2));
  std::memcpy(target.data<float>() + size_t(into) * plane, source.data<float>() + size_t(channel) * plane,
              plane * sizeof(float));
}

Tensor window_of(const Tensor& image, int x, int y, int width, int height) {
  const int channels = int(image.size(0)), full_width = int(image.size(2)), full_height = int(image.size(1));
  Tensor out = Tensor::empty({channels, height, width});
  const float* in = image.data<float>();
  float* result = out.data<float>();
  for (int channel = 0; channel < channels; ++channel)
    for (int row = 0; row < height; ++row)
      std::memcpy(result + (size_t(channel) * size_t(height) + size_t(row)) * size_t(width),
                  in + (size_t(channel) * size_t(full_height) + size_t(row + y)) * size_t(full_width) + size_t(x),
                  size_t(width) * sizeof(float));
  return out;
}

}  // namespace

OnBad on_bad_from_name(const std::string& name) {
  if (name == "fail") return OnBad::fail;
  if (name == "skip") return OnBad::skip;
  throw Error(concat("--on-bad: unknown value '", name, "' (use skip or fail)"));
}

std::optional<ImageHeader> read_image_header(const std::string& path) {
  ImageHeader header;
  if (!stbi_info(path.c_str(), &header.width, &header.height, &header.channels)) return std::nullopt;
  return header;
}

Dataset::Dataset(std::string name, std::vector<SampleEntry> entries, const DatasetOptions& options)
    : name_(std::move(name)), options_(options) {
  std::vector<std::string> problems(entries.size()), culprits(entries.size());
  std::vector<int> channels(entries.size(), 0);
  std::map<int, int64_t> channel_counts;
  for (size_t i = 0; i < entries.size(); ++i) {
    problems[i] = check_entry(entries[i], channels[i], culprits[i]);
    if (problems[i].empty()) ++channel_counts[channels[i]];
  }
  // The most common channel count is the dataset's; ties go to the larger count.
  int64_t best = 0;
  for (const auto& [count, images] : channel_counts)
    if (images >= best) {
      best = images;
      channels_ = count;
    }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (problems[i].empty() && channels[i] != channels_)
      problems[i] = concat("has ", channels[i], " channels, the other ", best, " images have ", channels_);
    if (problems[i].empty()) {
      entries_.push_back(std::move(entries[i]));
      continue;
    }
    DFORGE_CHECK(options_.on_bad == OnBad::skip, name_, ": ", culprits[i], ": ", problems[i],
                 " (--on-bad skip leaves such files out)");
    skipped_.push_back({culprits[i], problems[i]});
  }
}

const SampleEntry& Dataset::entry(int64_t index) const {
  DFORGE_CHECK(index >= 0 && index < size(), name_, ": sample ", index, " is out of range (", size(), " samples)");
  return entries_[size_t(index)];
}

Sample Dataset::load(int64_t index) const {
  const SampleEntry& source = entry(index);
  Sample sample;
  sample.path = source.image_path;
  sample.product = source.product;
  try {
    const Tensor file_image = io::read_image(source.image_path);
    const bool has_backlight = !source.backlight_path.empty();
    const int colour = colour_channels(int(file_image.size(0)), has_backlight);
    const int height = int(file_image.size(1)), width = int(file_image.size(2));
    const int channels = colour + (has_backlight ? 1 : 0);
    DFORGE_CHECK(channels == channels_, source.image_path, ": has ", channels, " channels, the dataset has ", channels_);
    Tensor image = file_image;
    if (colour != int(file_image.size(0)) || has_backlight) {
      image = Tensor::empty({channels, height, width});
      for (int channel = 0; channel < colour; ++channel) copy_plane(file_image, channel, image, channel);
    }
    if (has_backlight) {
      const Tensor backlight = io::read_image(source.backlight_path);
      DFORGE_CHECK(backlight.size(1) == height && backlight.size(2) == width, source.backlight_path, ": backlight is ",
                   backlight.size(2), "x", backlight.size(1), ", the image is ", width, "x", height);
      const size_t plane = size_t(height) * size_t(width);
      const float* in = backlight.data<float>();
      float* out = image.data<float>() + size_t(colour) * plane;
      if (backlight.size(0) >= 3) {
        for (size_t i = 0; i < plane; ++i)
          out[i] = kLumaRed * in[i] + kLumaGreen * in[plane + i] + kLumaBlue * in[2 * plane + i];
      } else {
        std::memcpy(out, in, plane * sizeof(float));
      }
    }
    Tensor mask;
    for (const std::string& mask_path : source.mask_paths) {
      const Tensor file_mask = io::read_image(mask_path);
      DFORGE_CHECK(file_mask.size(1) == height && file_mask.size(2) == width, mask_path, ": mask is ", file_mask.size(2),
                   "x", file_mask.size(1), ", the image is ", width, "x", height);
      if (!mask.defined()) {
        mask = Tensor::empty({1, height, width});
        std::fill(mask.data<float>(), mask.data<float>() + size_t(height) * size_t(width), 0.0f);
      }
      const float* in = file_mask.data<float>();
      float* out = mask.data<float>();
      for (size_t i = 0; i < size_t(height) * size_t(width); ++i) out[i] = (out[i] > 0.5f || in[i] > 0.5f) ? 1.0f : 0.0f;
    }
    if (source.window_width > 0) {
      image = window_of(image, source.window_x, source.window_y, source.window_width, source.window_height);
      if (mask.defined()) mask = window_of(mask, source.window_x, source.window_y, source.window_width, source.window_height);
    }
    sample.image = image;
    sample.mask = mask;
  } catch (const Error& error) {
    throw Error(concat(name_, ": ", error.what()));
  }
  if (source.label >= 0) {
    sample.label = source.label;
  } else {
    bool any = false;
    if (sample.mask.defined()) {
      const float* values = sample.mask.data<float>();
      const int64_t count = sample.mask.numel();
      for (int64_t i = 0; i < count && !any; ++i) any = values[i] > 0.5f;
    }
    sample.label = any ? 1 : 0;
  }
  sample.defect = sample.label == 1 ? (source.defect.empty() ? "defect" : source.defect) : "good";
  return sample;
}

void Dataset::note_skipped_at_load(const std::string& path, const std::string& reason) const {
  std::lock_guard<std::mutex> lock(load_failures_->mutex);
  for (const SkippedFile& known : load_failures_->files)
    if (known.path == path) return;  // the same file again in a later epoch
  load_failures_->files.push_back({path, reason});
}

std::vector<SkippedFile> Dataset::skipped_at_load() const {
  std::lock_guard<std::mutex> lock(load_failures_->mutex);
  return load_failures_->files;
}

int64_t Dataset::skipped_count() const {
  std::lock_guard<std::mutex> lock(load_failures_->mutex);
  return int64_t(skipped_.size() + load_failures_->files.size());
}

Dataset select_entries(const Dataset& dataset, const std::function<bool(const SampleEntry&)>& keep,
                       const std::string& what) {
  std::vector<SampleEntry> kept;
  for (int64_t i = 0; i < dataset.size(); ++i)
    if (keep(dataset.entry(i))) kept.push_back(dataset.entry(i));
  DFORGE_CHECK(!kept.empty(), dataset.name(), ": no ", what, " among its ", dataset.size(), " samples");
  return Dataset(dataset.name(), std::move(kept), dataset.options());
}

}  // namespace dforge::data
