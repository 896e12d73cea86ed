#include "apps/commands/train_pseudo.h"

#include <memory>

#include "apps/commands/training_status.h"
#include "apps/pseudo/train_pseudo.h"

namespace dforge::apps {
namespace {

struct TrainPseudoArguments {
  PseudoRunOptions run;
  TrainingFlags flags;
};

}  // namespace

void add_train_pseudo(CLI::App& train) {
  auto arguments = std::make_shared<TrainPseudoArguments>();
  models::PseudoConfig& config = arguments->run.config;
  CLI::App* command = train.add_subcommand(
      "pseudo", "Pseudo-defect segmentation (paper 004): a binary U-Net trained on normal images with painted defects");
  command->add_option("--data", arguments->run.data, "Dataset folder in MVTec AD layout (reads <surface>/train/good)")
      ->required();
  command->add_option("--out", arguments->run.out, "Run folder: checkpoint, losses.csv, samples/")->required();
  command->option_defaults()->always_capture_default();
  command->add_option("--crop", config.crop, "Training crop side in pixels");
  command->add_option("--resize", config.resize, "Resize images to this side before cropping (0: as stored)");
  command->add_option("--steps", config.steps, "Training steps (with --resume: extends the run to this many)");
  command->add_option("--batch", config.batch, "Crops per batch");
  command->add_option("--lr", config.lr, "Adam learning rate");
  command->add_option("--ngf", config.ngf, "U-Net width (channels of the first layer)");
  command->add_option("--unet-downs", config.unet_downs, "U-Net levels (the crop must be divisible by 2^levels)");
  command->add_option("--norm", config.norm, "batch, instance or none")->check(CLI::IsMember({"batch", "instance", "none"}));
  command->add_option("--dice-weight", config.dice_weight, "Weight of the soft Dice loss next to BCE (0: BCE only)");
  command->add_option("--defect-probability", config.defect_probability, "Share of crops that get pseudo-defects")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--min-defects", config.min_defects, "Fewest defects on a painted crop");
  command->add_option("--max-defects", config.max_defects, "Most defects on a painted crop");
  command->add_option("--min-size", config.min_size, "Smallest defect diameter, fraction of the crop side");
  command->add_option("--max-size", config.max_size, "Largest defect diameter, fraction of the crop side");
  command->add_option("--noise", config.noise_std, "Standard deviation of the defect colour noise");
  command->add_flag("--image-colours", config.image_colours, "Also paint with colours taken from the image");
  add_training_options(*command, arguments->run, config, arguments->flags,
                       "Seed of initialisation, data order, crops and defects");
  command->callback([arguments] {
    run_training_command("pseudo", arguments->run, arguments->flags, train_pseudo);
  });
}

}  // namespace dforge::apps
