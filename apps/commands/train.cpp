// `dforge train seggan --data DIR --out RUN [--gen unet|resnet] [--lambda-clip X] [--crop N]
//  [--steps N] [--device cpu|cuda] [--resume] ...`.
#include "apps/commands/train.h"

#include <memory>

#include "apps/commands/train_defectgan.h"
#include "apps/commands/train_pseudo.h"
#include "apps/commands/training_status.h"
#include "apps/seggan/train_seggan.h"

namespace dforge::apps {
namespace {

struct TrainSegganArguments {
  SegganRunOptions run;
  TrainingFlags flags;
};

void add_seggan(CLI::App& train) {
  auto arguments = std::make_shared<TrainSegganArguments>();
  models::SegganConfig& config = arguments->run.config;
  CLI::App* command = train.add_subcommand(
      "seggan", "Segmentation-guided CycleGAN (paper 000): learns to paint defects where a mask says");
  command->add_option("--data", arguments->run.data,
                      "Dataset folder in MVTec AD layout (normal: <surface>/train/good, defective: "
                      "<surface>/test/<defect> with ground_truth masks)")
      ->required();
  command->add_option("--out", arguments->run.out, "Run folder: checkpoint, losses.csv, samples/, G_y.safetensors")
      ->required();
  command->option_defaults()->always_capture_default();
  command->add_option("--gen", config.generator, "Generator: unet or resnet")->check(CLI::IsMember({"unet", "resnet"}));
  command->add_option("--lambda-clip", config.lambda_clip,
                      "Lower bound of D_y's patch weight w = max(lambda_clip, mask fraction); 1 disables the "
                      "weighting")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--lambda-cycle", config.lambda_cycle, "Cycle-consistency weight");
  command->add_option("--lambda-identity", config.lambda_identity, "Identity weight, times lambda-cycle");
  command->add_option("--crop", config.crop, "Training crop side in pixels");
  command->add_option("--resize", config.resize, "Resize images to this side before cropping (0: as stored)");
  command->add_option("--steps", config.steps, "Training steps (with --resume: extends the run to this many)");
  command->add_option("--decay-from", config.decay_from,
                      "Fraction of the steps after which the learning rate decays linearly to 0");
  command->add_option("--batch", config.batch, "Images per batch (of each domain)");
  command->add_option("--lr", config.lr, "RAdam learning rate of all four networks");
  command->add_option("--ngf", config.ngf, "Generator width (channels of the first layer)");
  command->add_option("--ndf", config.ndf, "Discriminator width");
  command->add_option("--unet-downs", config.unet_downs, "U-Net levels (0: log2(crop), a 1x1 bottleneck)");
  command->add_option("--resnet-blocks", config.resnet_blocks, "Residual blocks of the ResNet generator");
  command->add_option("--d-layers", config.d_layers, "PatchGAN layers: 1, 2 (34-pixel patches, the paper's) or 3");
  add_training_options(*command, arguments->run, config, arguments->flags,
                       "Seed of initialisation, data order and crops");
  command->callback([arguments] {
    run_training_command("seggan", arguments->run, arguments->flags, train_seggan);
  });
}

}  // namespace

void add_train_command(CLI::App& app) {
  CLI::App* train = app.add_subcommand("train", "Train a model (see `dforge train <model> --help`)");
  train->require_subcommand(1);
  add_seggan(*train);
  add_train_pseudo(*train);
  add_train_defectgan(*train);
}

}  // namespace dforge::apps
