// `dforge synth seggan --ckpt FILE --images DIR (--masks DIR | --random-masks N) --out DIR`.
#include "apps/commands/synth.h"

#include <cstdio>
#include <memory>

#include "apps/commands/device_option.h"
#include "apps/commands/synth_defectgan.h"
#include "apps/commands/synth_pseudo.h"
#include "apps/seggan/synthesize.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

struct SynthSegganArguments {
  SegganSynthOptions synth;
  std::string device = "cpu";
  bool quiet = false;
};

void run_synth_seggan(SynthSegganArguments& arguments) {
  arguments.synth.device = device_from_option(arguments.device);
  arguments.synth.progress = !arguments.quiet;
  const int64_t written = synthesize_seggan(arguments.synth);
  if (!arguments.quiet)
    std::fprintf(stderr, "synth: %lld images in %s/images, masks in %s/masks\n", static_cast<long long>(written),
                 arguments.synth.out.c_str(), arguments.synth.out.c_str());
}

void add_seggan(CLI::App& synth) {
  auto arguments = std::make_shared<SynthSegganArguments>();
  CLI::App* command = synth.add_subcommand("seggan", "Paint defects into defect-free images with a trained seggan");
  command->add_option("--ckpt", arguments->synth.weights, "RUN/checkpoint.safetensors or RUN/G_y.safetensors")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--images", arguments->synth.images,
                      "Folder of defect-free images (<name>_bl.png beside an image adds its backlight); sides "
                      "must be divisible by the generator's stride (256 for the default U-Net)")
      ->required()
      ->check(CLI::ExistingDirectory);
  auto* masks = command->add_option("--masks", arguments->synth.masks,
                                    "Folder of masks named like the images (<name>.png or <name>_mask.png)")
                    ->check(CLI::ExistingDirectory);
  auto* random = command->add_option("--random-masks", arguments->synth.random_masks,
                                     "Draw N random masks per image instead (blobs and scratches)")
                     ->check(CLI::PositiveNumber);
  masks->excludes(random);
  command->add_option("--out", arguments->synth.out, "Output folder: images/ and masks/")->required();
  command->option_defaults()->always_capture_default();
  command->add_option("--seed", arguments->synth.seed, "Seed of the random masks");
  command->add_option("--device", arguments->device, "cpu or cuda");
  command->add_flag("--quiet", arguments->quiet, "No progress bar");
  command->callback([arguments] { run_synth_seggan(*arguments); });
}

}  // namespace

void add_synth_command(CLI::App& app) {
  CLI::App* synth = app.add_subcommand("synth", "Synthesize defective images (see `dforge synth <model> --help`)");
  synth->require_subcommand(1);
  add_seggan(*synth);
  add_synth_pseudo(*synth);
  add_synth_defectgan(*synth);
}

}  // namespace dforge::apps
