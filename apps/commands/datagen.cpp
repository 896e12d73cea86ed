// `dforge datagen --out DIR [--surfaces a,b] [--normal N] [--defective M] [--size S] [--seed S]
//  [--threads T] [--contact-sheet FILE]`.
#include "apps/commands/datagen.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "apps/commands/progress_bar.h"
#include "data/procedural/contact_sheet.h"
#include "data/procedural/datagen.h"
#include "runtime/error.h"
#include "runtime/io/image.h"

namespace dforge::apps {

namespace {

struct DatagenArguments {
  std::string out;
  std::vector<std::string> surfaces;
  int normal = 200;
  int defective = 20;
  int size = 256;
  uint64_t seed = 0;
  int threads = 0;
  std::string contact_sheet;
  bool quiet = false;
};

void run_datagen(const DatagenArguments& arguments) {
  DFORGE_CHECK(!arguments.out.empty() || !arguments.contact_sheet.empty(),
               "datagen: give --out DIR (the dataset) or --contact-sheet FILE (or both)");
  data::DatagenOptions options;
  options.out = arguments.out;
  for (const std::string& name : arguments.surfaces) options.surfaces.push_back(data::surface_from_name(name));
  options.normal = arguments.normal;
  options.defective = arguments.defective;
  options.size = arguments.size;
  options.seed = arguments.seed;
  options.threads = arguments.threads;
  if (!arguments.contact_sheet.empty()) {
    data::ContactSheetOptions sheet;
    sheet.seed = arguments.seed;
    sheet.surfaces = options.surfaces;
    io::write_image(arguments.contact_sheet, data::render_contact_sheet(sheet));
    if (!arguments.quiet) std::fprintf(stderr, "datagen: contact sheet written to %s\n", arguments.contact_sheet.c_str());
  }
  if (arguments.out.empty()) return;
  ProgressBar bar("datagen", "img");
  data::DatagenProgress progress;
  if (!arguments.quiet) progress = [&](int64_t done, int64_t all) { bar.update(done, all); };
  const int64_t written = data::generate_dataset(options, progress);
  if (!arguments.quiet) {
    bar.finish(written, written);
    std::fprintf(stderr, "datagen: %lld images written to %s\n", (long long)written, arguments.out.c_str());
  }
}

}  // namespace

void add_datagen_command(CLI::App& app) {
  auto arguments = std::make_shared<DatagenArguments>();
  CLI::App* command = app.add_subcommand(
      "datagen", "Write the built-in procedural defect dataset (MVTec AD layout, frontlight + backlight + masks)");
  command->add_option("--out", arguments->out, "Output folder (one MVTec-AD-style tree per surface)");
  command->add_option("--surfaces", arguments->surfaces,
                      "Surfaces to make (default all): plain_weave, twill, printed, wood, marble")
      ->delimiter(',');
  command->option_defaults()->always_capture_default();
  command->add_option("--normal", arguments->normal, "Normal images per surface (train/good + test/good)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--defective", arguments->defective, "Defective images per surface, spread over its kinds")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--size", arguments->size, "Image side in pixels")->check(CLI::Range(16, 4096));
  command->add_option("--seed", arguments->seed, "Random seed: the same seed gives the same files");
  command->add_option("--threads", arguments->threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--contact-sheet", arguments->contact_sheet,
                      "Also write a PNG showing every surface and defect kind");
  command->add_flag("--quiet", arguments->quiet, "No progress bar");
  command->callback([arguments] { run_datagen(*arguments); });
}

}  // namespace dforge::apps
