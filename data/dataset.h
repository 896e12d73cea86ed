// Dataset: the checked list of samples a loader found, and the reading of one of them.
//
// A layout reader (mvtec.h, aitex.h, folder.h) lists SampleEntry values -- which files make a
// sample -- and hands them to Dataset, which checks every entry from the files' headers alone
// (stb_image's info call: no decoding, so a few thousand files take well under a second):
//   - the image is missing, or is not a readable image;
//   - its backlight companion (<name>_bl.<ext>) is unreadable or of another size;
//   - a mask is missing, unreadable, or of another size than the image;
//   - the image has another channel count than the rest (the most common count wins).
// With OnBad::fail the first problem throws one dforge::Error naming the file; with OnBad::skip
// the entry is left out and recorded in skipped(). A file that passes the header check but fails
// to decode later throws from load() naming it; the threaded loader skips such samples in skip
// mode and counts them (loader.h).
//
// Channels: a 1- or 2-channel file is gray (alpha dropped), 3 is RGB. A backlight companion adds
// its luminance as one more channel (Rec. 709 weights for an RGB backlight image, as paper 000
// takes the backlight's luminance), giving 4. A 4-channel file without a companion is taken as RGB
// + backlight already stacked; with a companion its alpha is dropped. Masks are binarised at 0.5
// on their first channel; several masks of one image (AITEX) are merged by their union.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "data/sample.h"

namespace dforge::data {

enum class OnBad { fail, skip };

// "fail" or "skip"; throws naming `name` otherwise.
OnBad on_bad_from_name(const std::string& name);

struct DatasetOptions {
  OnBad on_bad = OnBad::fail;
};

// Which files make one sample.
struct SampleEntry {
  std::string image_path;
  std::string backlight_path;            // empty: no backlight
  std::vector<std::string> mask_paths;   // merged by union; empty: no mask
  bool mask_required = false;            // a missing mask is a problem (defective MVTec images)
  int label = 0;                         // 0 normal, 1 defective, -1: decided by the mask's content
  std::string product;
  std::string defect;                    // the kind when defective ("good" is used when normal)
  // A window of the image in pixels (AITEX tiles); width 0: the whole image.
  int window_x = 0, window_y = 0, window_width = 0, window_height = 0;
};

struct SkippedFile {
  std::string path;
  std::string reason;
};

// Width, height and channel count from an image file's header; empty when it cannot be read.
struct ImageHeader {
  int width = 0, height = 0, channels = 0;
};
std::optional<ImageHeader> read_image_header(const std::string& path);

class Dataset {
 public:
  // Checks every entry (see above); `name` starts every message ("mvtec", "aitex", "folder").
  Dataset(std::string name, std::vector<SampleEntry> entries, const DatasetOptions& options);

  const std::string& name() const { return name_; }
  int64_t size() const { return int64_t(entries_.size()); }
  const SampleEntry& entry(int64_t index) const;
  // The channel count of every sample (0 when the dataset is empty).
  int channels() const { return channels_; }
  const DatasetOptions& options() const { return options_; }

  // Reads sample `index`: image (with backlight), mask, label, product, defect kind. Throws naming
  // the file when a file cannot be decoded.
  Sample load(int64_t index) const;

  // Entries left out when the dataset was checked (skip mode), and how many files failed to
  // decode later and were skipped by a loader (each file counted once).
  const std::vector<SkippedFile>& skipped_at_index() const { return skipped_; }
  int64_t skipped_count() const;
  void note_skipped_at_load(const std::string& path, const std::string& reason) const;
  std::vector<SkippedFile> skipped_at_load() const;

 private:
  std::string name_;
  std::vector<SampleEntry> entries_;
  DatasetOptions options_;
  int channels_ = 0;
  std::vector<SkippedFile> skipped_;
  // Shared by copies of the dataset, written by loader threads.
  struct LoadFailures {
    std::mutex mutex;
    std::vector<SkippedFile> files;
  };
  std::shared_ptr<LoadFailures> load_failures_ = std::make_shared<LoadFailures>();
};

// The entries of `dataset` for which `keep` is true, as a new (re-checked) dataset; the name
// stays. Throws naming `what` when none is left.
Dataset select_entries(const Dataset& dataset, const std::function<bool(const SampleEntry&)>& keep,
                       const std::string& what);

}  // namespace dforge::data
