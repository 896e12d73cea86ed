// `dforge experiment pseudo-supervised [--data DIR] [--out DIR] [--unseen A,B] [--seggan CKPT] [...]`.
#include "apps/commands/experiment.h"

#include <cstdio>
#include <memory>

#include "apps/commands/device_option.h"
#include "apps/experiment/pseudo_supervised.h"

namespace dforge::apps {
namespace {

struct PseudoSupervisedArguments {
  PseudoSupervisedOptions experiment;
  std::string device = "auto";
  bool quiet = false;
};

void run_pseudo_supervised_command(PseudoSupervisedArguments& arguments) {
  arguments.experiment.device = device_from_option(arguments.device);
  arguments.experiment.progress = !arguments.quiet;
  const PseudoSupervisedResult result = run_pseudo_supervised(arguments.experiment);
  std::printf("Image AUROC on real defects of surfaces seggan never saw (paper 000, Table III)\n\n%s\n",
              result.table.c_str());
  std::printf("experiment: table in %s/table.md, details in %s/results.json\n", arguments.experiment.out.c_str(),
              arguments.experiment.out.c_str());
}

void add_pseudo_supervised(CLI::App& group) {
  auto arguments = std::make_shared<PseudoSupervisedArguments>();
  PseudoSupervisedOptions& experiment = arguments->experiment;
  CLI::App* command = group.add_subcommand(
      "pseudo-supervised",
      "Paper 000, Table III: a ResNet-18 trained on seggan's synthetic defects vs an autoencoder trained on "
      "normals only, scored on the real defects of surfaces seggan never saw");
  command->footer(
      "Steps: (1) the built-in data (generated when absent) and seggan on three surfaces (the demo's run; "
      "OUT/seggan, or --seggan CKPT such as runs/demo/seggan/checkpoint.safetensors); (2) per unseen surface, "
      "its normal images split 60/20/20 into OUT/<surface>/train, val, test, seggan's defects painted with "
      "random masks on the train normals (one each) and the val normals (two each): synthetic 60/40/0; every "
      "real defect goes to test (0/0/100); (3) a ResNet-18 classifier (normal vs synthetic) and the ResNet-18 "
      "autoencoder (normals only), each validated every steps/12 steps, the best validation AUROC kept; (4) "
      "both on test: the per-surface image AUROC table in OUT/table.md, details in OUT/results.json. A "
      "second run reuses finished stages; delete OUT/<surface> to redo one. The cpu preset takes about 15 "
      "minutes on two cores with --seggan (64-pixel inspectors, 400 steps), 25 when it trains seggan too; "
      "gpu: 256 pixels, 4000 steps.");
  command->option_defaults()->always_capture_default();
  command->add_option("--data", experiment.data, "Built-in dataset folder (generated when absent)");
  command->add_option("--out", experiment.out, "Experiment folder");
  command->add_option("--unseen", experiment.unseen,
                      "Surfaces to test on (comma list; default: every surface seggan was not trained on)")
      ->delimiter(',');
  command->add_option("--seggan", experiment.seggan,
                      "Use this seggan checkpoint (a run's checkpoint.safetensors) instead of training OUT/seggan");
  command->add_option("--preset", experiment.preset,
                      "cpu: ~15-25 minutes on two cores; gpu: the papers' sizes; auto: by device")
      ->check(CLI::IsMember({"auto", "cpu", "gpu"}));
  command->add_option("--device", arguments->device, "auto (cuda when a GPU is visible), cpu or cuda");
  command->add_option("--seggan-steps", experiment.seggan_steps, "seggan training steps (0: the preset's)");
  command->add_option("--steps", experiment.steps, "Training steps of each inspector (0: the preset's)");
  command->add_option("--size", experiment.size, "Inspector image side, a multiple of 32 (0: the preset's)");
  command->add_option("--batch", experiment.batch, "Inspector batch size (0: the preset's)");
  command->add_option("--width", experiment.width, "ResNet-18 base width (0: torchvision's 64)");
  command->add_option("--seed", experiment.seed, "Seed of the splits, the masks and the inspectors");
  command->add_flag("--quiet", arguments->quiet, "No progress bars");
  command->callback([arguments] { run_pseudo_supervised_command(*arguments); });
}

}  // namespace

void add_experiment_command(CLI::App& app) {
  CLI::App* group = app.add_subcommand("experiment", "The papers' experiments on the built-in data");
  group->require_subcommand(1);
  add_pseudo_supervised(*group);
}

}  // namespace dforge::apps
