#include "apps/commands/synth_defectgan.h"

#include <cstdio>
#include <memory>

#include "apps/commands/device_option.h"
#include "apps/defectgan/synthesize.h"

namespace dforge::apps {
namespace {

struct SynthDefectganArguments {
  DefectganSynthOptions synth;
  std::string device = "cpu";
  bool quiet = false;
};

void run_synth_defectgan(SynthDefectganArguments& arguments) {
  arguments.synth.device = device_from_option(arguments.device);
  arguments.synth.progress = !arguments.quiet;
  const int64_t written = synthesize_defectgan(arguments.synth);
  if (!arguments.quiet)
    std::fprintf(stderr, "synth: %lld images in %s/images, masks in %s/masks\n", static_cast<long long>(written),
                 arguments.synth.out.c_str(), arguments.synth.out.c_str());
}

}  // namespace

void add_synth_defectgan(CLI::App& synth) {
  auto arguments = std::make_shared<SynthDefectganArguments>();
  CLI::App* command = synth.add_subcommand(
      "defectgan", "Deface defect-free images with a trained defectgan: chosen defect kinds, anywhere or inside masks");
  command->add_option("--ckpt", arguments->synth.weights, "RUN/checkpoint.safetensors or RUN/G.safetensors")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--images", arguments->synth.images,
                      "Folder of defect-free images (<name>_bl.png beside an image adds its backlight); sides "
                      "divisible by 4")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_option("--defect", arguments->synth.defects,
                      "Defect kinds to paint, each on every image (the run's test/<defect> names); default all")
      ->delimiter(',');
  auto* masks = command->add_option("--masks", arguments->synth.masks,
                                    "Paint only inside these masks, named like the images (<name>.png or "
                                    "<name>_mask.png); default: the whole image is the control region")
                    ->check(CLI::ExistingDirectory);
  auto* random = command->add_option("--random-masks", arguments->synth.random_masks,
                                     "Paint inside N random masks per image and kind instead")
                     ->check(CLI::PositiveNumber);
  masks->excludes(random);
  command->add_option("--out", arguments->synth.out, "Output folder: images/ and masks/ (where G painted)")->required();
  command->option_defaults()->always_capture_default();
  command->add_option("--seed", arguments->synth.seed, "Seed of the random masks and the generator's noise");
  command->add_option("--device", arguments->device, "cpu or cuda");
  command->add_flag("--quiet", arguments->quiet, "No progress bar");
  command->callback([arguments] { run_synth_defectgan(*arguments); });
}

}  // namespace dforge::apps
