#include "apps/commands/train_defectgan.h"

#include <memory>

#include "apps/commands/training_status.h"
#include "apps/defectgan/train_defectgan.h"

namespace dforge::apps {
namespace {

struct TrainDefectganArguments {
  DefectganRunOptions run;
  TrainingFlags flags;
};

}  // namespace

void add_train_defectgan(CLI::App& train) {
  auto arguments = std::make_shared<TrainDefectganArguments>();
  models::DefectganConfig& config = arguments->run.config;
  CLI::App* command = train.add_subcommand(
      "defectgan",
      "Defect-GAN (paper 003): defaces normal images and restores defective ones under a control map of defect "
      "kinds; the kinds are the dataset's test/<defect> folders");
  command->add_option("--data", arguments->run.data,
                      "Dataset folder in MVTec AD layout (normal: <surface>/train/good, defective: "
                      "<surface>/test/<defect>, the folder name being the defect kind)")
      ->required();
  command->add_option("--out", arguments->run.out, "Run folder: checkpoint, losses.csv, samples/, G.safetensors")
      ->required();
  command->option_defaults()->always_capture_default();
  command->add_option("--size", config.image_size, "Training crop side in pixels (the paper's 128)");
  command->add_option("--resize", config.resize, "Resize images to this side before cropping (0: as stored)");
  command->add_option("--steps", config.steps, "Training steps (with --resume: extends the run to this many)");
  command->add_option("--decay-from", config.decay_from,
                      "Fraction of the steps after which the lr falls linearly to --lr-end")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--batch", config.batch, "Images per batch (of each domain)");
  command->add_option("--lr", config.lr, "Adam learning rate of G and D");
  command->add_option("--lr-end", config.lr_end, "Learning rate at the last step");
  command->add_option("--n-critic", config.n_critic, "Discriminator updates per generator update");
  command->add_option("--ngf", config.ngf, "Generator width (channels of the first layer)");
  command->add_option("--ndf", config.ndf, "Discriminator width");
  command->add_option("--residual-blocks", config.residual_blocks, "SPADE residual blocks at 1/4 resolution");
  command->add_option("--d-layers", config.d_layers, "Discriminator downsamplings (the size must be divisible by 2^N)");
  command->add_option("--lambda-cls-real", config.lambda_cls_real, "Class loss weight on real images (D)");
  command->add_option("--lambda-cls-fake", config.lambda_cls_fake, "Class loss weight on generated images (G)");
  command->add_option("--lambda-rec", config.lambda_rec, "Reconstruction (cycle) L1 weight");
  command->add_option("--lambda-sd-cyc", config.lambda_sd_cyc, "Spatial distribution map cycle L1 weight");
  command->add_option("--lambda-sd-con", config.lambda_sd_con, "Spatial distribution map size L1 weight");
  command->add_option("--lambda-gp", config.lambda_gp, "WGAN-GP gradient penalty weight");
  auto flag = [&](const char* name, bool& value, const char* what) {
    command->add_flag(std::string("!") + name, value, what);
  };
  flag("--no-spatial-control", config.spatial_control,
       "Ablation: the label map is concatenated to the input instead of entering through SPADE");
  flag("--no-noise", config.noise_injection, "Ablation: no noise injection");
  flag("--no-composition", config.layerwise_composition,
       "Ablation: G outputs the image directly, without foreground and spatial distribution map (implies "
       "--no-spatial-constraints)");
  flag("--no-spatial-constraints", config.spatial_constraints, "Ablation: no sd-cyc and sd-con losses");
  add_training_options(*command, arguments->run, config, arguments->flags,
                       "Seed of initialisation, data order, crops and noise");
  command->callback([arguments] {
    if (!arguments->run.config.layerwise_composition) arguments->run.config.spatial_constraints = false;
    run_training_command("defectgan", arguments->run, arguments->flags, train_defectgan);
  });
}

}  // namespace dforge::apps
