#include "apps/commands/synth_pseudo.h"

#include <cstdio>
#include <memory>

#include "apps/pseudo/synthesize_pseudo.h"

namespace dforge::apps {
namespace {

struct SynthPseudoArguments {
  PseudoSynthOptions synth;
  std::vector<std::string> shapes;
  bool image_colours = false;
  bool quiet = false;
};

void run_synth_pseudo(SynthPseudoArguments& arguments) {
  if (!arguments.shapes.empty()) {
    arguments.synth.pseudo.shapes.clear();
    for (const std::string& name : arguments.shapes)
      arguments.synth.pseudo.shapes.push_back(models::pseudo::shape_kind_from_name(name));
  }
  if (arguments.image_colours) arguments.synth.pseudo.colours.push_back(models::pseudo::BaseColour::image);
  arguments.synth.progress = !arguments.quiet;
  const int64_t written = synthesize_pseudo(arguments.synth);
  if (!arguments.quiet)
    std::fprintf(stderr, "synth pseudo: %lld images in %s/images, masks in %s/masks\n", static_cast<long long>(written),
                 arguments.synth.out.c_str(), arguments.synth.out.c_str());
}

}  // namespace

void add_synth_pseudo(CLI::App& synth) {
  auto arguments = std::make_shared<SynthPseudoArguments>();
  models::pseudo::PseudoOptions& pseudo = arguments->synth.pseudo;
  CLI::App* command = synth.add_subcommand("pseudo", "Paint procedural pseudo-defects with exact masks (paper 004)");
  command->add_option("--images", arguments->synth.images, "Folder of normal images")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_option("--out", arguments->synth.out, "Output folder: images/ and masks/")->required();
  command->option_defaults()->always_capture_default();
  command->add_option("--count", arguments->synth.count, "Results per image")->check(CLI::PositiveNumber);
  command->add_option("--seed", arguments->synth.seed, "Seed of the defects");
  command->add_option("--min-defects", pseudo.min_count, "Fewest defects per image");
  command->add_option("--max-defects", pseudo.max_count, "Most defects per image");
  command->add_option("--min-size", pseudo.min_size, "Smallest diameter, fraction of the shorter side");
  command->add_option("--max-size", pseudo.max_size, "Largest diameter, fraction of the shorter side");
  command->add_option("--noise", pseudo.noise_std, "Standard deviation of the colour noise");
  command->add_option("--shapes", arguments->shapes, "Shape kinds: rectangle,line,triangle,polygon,blob (default all)")
      ->delimiter(',');
  command->add_flag("--image-colours", arguments->image_colours, "Also paint with colours taken from the image");
  command->add_option("--contact-sheet", arguments->synth.contact_sheet,
                      "Also write a PNG of the first images: normal, then each result and its mask");
  command->add_flag("--quiet", arguments->quiet, "No progress bar");
  command->callback([arguments] { run_synth_pseudo(*arguments); });
}

}  // namespace dforge::apps
