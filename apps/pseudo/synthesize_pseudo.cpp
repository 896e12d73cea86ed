#include "apps/pseudo/synthesize_pseudo.h"

#include <filesystem>

#include "apps/commands/progress_bar.h"
#include "apps/report/image_grid.h"
#include "data/folder.h"
#include "data/sample_writer.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace fs = std::filesystem;

int64_t synthesize_pseudo(const PseudoSynthOptions& options) {
  DFORGE_CHECK(options.count >= 1, "synth pseudo: --count must be at least 1, got ", options.count);
  options.pseudo.validate();
  const data::Dataset images = data::load_folder(options.images);
  DFORGE_CHECK(images.size() > 0, "synth pseudo: ", options.images, " holds no images");
  fs::create_directories(fs::path(options.out) / "images");
  fs::create_directories(fs::path(options.out) / "masks");
  ProgressBar bar("synth pseudo", "images");
  constexpr int64_t kSheetRows = 8;
  std::vector<std::vector<Tensor>> sheet;
  int64_t written = 0;
  const int64_t total = images.size() * options.count;
  for (int64_t i = 0; i < images.size(); ++i) {
    const data::Sample sample = images.load(i);
    const std::string stem = fs::path(sample.path).stem().string();
    if (i < kSheetRows) sheet.push_back({sample.image});
    for (int k = 0; k < options.count; ++k) {
      data::RandomStream stream(options.seed, data::stream_id({uint64_t(i), uint64_t(k)}));
      const models::pseudo::PseudoDefect defect = models::pseudo::paint_pseudo_defects(sample.image, options.pseudo, stream);
      const std::string name = stem + "-" + std::to_string(k) + ".png";
      data::write_sample_image((fs::path(options.out) / "images" / name).string(), defect.image);
      data::write_mask((fs::path(options.out) / "masks" / name).string(), defect.mask);
      if (i < kSheetRows) {
        sheet.back().push_back(defect.image);
        sheet.back().push_back(defect.mask);
      }
      ++written;
      if (options.progress) bar.update(written, total);
    }
  }
  if (options.progress) bar.finish(written, total);
  if (!options.contact_sheet.empty()) write_image_grid(options.contact_sheet, sheet);
  return written;
}

}  // namespace dforge::apps
