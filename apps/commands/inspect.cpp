// `dforge inspect train --kind K --data DIR [--defects DIR] --out RUN [...]` and
// `dforge inspect eval --ckpt FILE --data DIR [--kind K] [--threshold T] [--json FILE]`, for every
// kind and for the checkpoints of `dforge train pseudo` (evaluated as segmenters).
#include "apps/commands/inspect.h"

#include <cstdio>
#include <memory>

#include "apps/commands/device_option.h"
#include "apps/commands/training_status.h"
#include "apps/inspect/eval_inspector.h"
#include "apps/inspect/inspector_kinds.h"
#include "apps/inspect/train_inspector.h"
#include "runtime/error.h"
#include "runtime/io/atomic_file.h"

namespace dforge::apps {
namespace {

std::string kinds_help() {
  std::string help = "Inspector kind:";
  for (const InspectorKind& kind : inspector_kinds())
    help += "\n  " + kind.name + ": " + kind.summary + (kind.make ? "" : " [not yet available]");
  return help;
}

struct TrainArguments {
  InspectRunOptions run;
  std::string device = "cpu";
  bool quiet = false;
};

void run_train(TrainArguments& arguments) {
  find_inspector_kind(arguments.run.config.kind);  // an unknown or unavailable kind fails before any work
  arguments.run.device = device_from_option(arguments.device);
  arguments.run.progress = !arguments.quiet;
  InspectRunResult result = train_inspector(arguments.run);
  std::fprintf(stderr, "inspect %s: %lld steps, %.1f s, last loss %.4f, threshold %g; checkpoint %s\n",
               arguments.run.config.kind.c_str(), (long long)result.steps_done, result.seconds, result.last_loss,
               result.threshold, result.checkpoint.c_str());
  if (result.best_validation_auroc)
    std::fprintf(stderr, "inspect %s: best validation AUROC %.4f; its weights: %s\n",
                 arguments.run.config.kind.c_str(), *result.best_validation_auroc, result.best_checkpoint.c_str());
  end_interrupted_run("inspect", result, arguments.run.stop_at);
}

void add_train(CLI::App& group) {
  auto arguments = std::make_shared<TrainArguments>();
  InspectConfig& config = arguments->run.config;
  CLI::App* command = group.add_subcommand("train", "Train an inspector into a run folder");
  command->footer(
      "Data: --data is an MVTec AD tree (normal images from <surface>/train/good) or a plain folder with "
      "images/ (and masks/: the images without a mask are the normals). The classifier and the segmenter "
      "also need --defects, a plain folder of defective images such as the OUT of `dforge synth seggan` "
      "(OUT/images, OUT/masks); they are label 1 and the 'synthetic' source. The segmenter learns their "
      "masks (normals: empty masks) with BCE + --dice-weight x Dice; its image score is the largest "
      "pixel probability. The autoencoder trains on the normals alone. Images are resized to --size and scaled to [-1, 1]. The source head tells real "
      "from synthetic images; give it --real-defects too, or real and synthetic coincide with normal and "
      "defective and the head only fights the class head.\n"
      "Run folder: config.json, checkpoint.safetensors (weights with torchvision names under 'model.', "
      "Adam state, step, threshold), losses.csv; with --validation also validation.csv (step, AUROC) and "
      "best.safetensors (the weights of the best validation AUROC, for `dforge inspect eval`).");
  command->add_option("--kind", config.kind, kinds_help())->required();
  command->add_option("--data", arguments->run.data, "Normal images: MVTec AD tree or plain folder")->required();
  command->add_option("--defects", arguments->run.defects, "Synthetic defective images (plain folder, with masks/ for the segmenter): classifier, segmenter");
  command->add_option("--real-defects", arguments->run.real_defects,
                      "Real defective images (plain folder, optional): the source head's real defects");
  command->add_option("--validation", arguments->run.validation,
                      "Labelled validation images (plain folder labelled by its masks, or an MVTec tree's test "
                      "split): scored every --validate-every steps; RUN/best.safetensors keeps the best AUROC's weights");
  command->add_option("--out", arguments->run.out, "Run folder")->required();
  command->option_defaults()->always_capture_default();
  command->add_option("--depth", config.depth, "Classifier ResNet depth: 18, 34 or 50");
  command->add_option("--width", config.width, "ResNet base width (torchvision's is 64; smaller for quick runs)");
  command->add_flag("--source-head", config.source_head,
                    "Classifier: add a real-vs-synthetic head behind gradient reversal (papers 001, 003)");
  command->add_option("--grl-lambda", config.grl_lambda, "Gradient reversal factor of the source head");
  command->add_option("--source-weight", config.source_weight, "Weight of the source head's loss");
  command->add_option("--loss", config.loss, "Autoencoder reconstruction loss: l2 or l1");
  command->add_option("--ngf", config.ngf, "Segmenter U-Net base width");
  command->add_option("--unet-downs", config.unet_downs, "Segmenter U-Net depth (--size a multiple of 2^depth)");
  command->add_option("--norm", config.norm, "Segmenter U-Net norm: batch, instance or none");
  command->add_option("--dice-weight", config.dice_weight, "Segmenter loss: BCE + this x soft Dice");
  command->add_option("--size", config.size, "Image side after resizing (a multiple of 32)");
  command->add_option("--batch", config.batch, "Images per batch");
  command->add_option("--steps", config.steps, "Training steps (with --resume: extends the run to this many)");
  command->add_option("--lr", config.lr, "Adam learning rate");
  command->add_option("--seed", config.seed, "Seed of initialisation and data order");
  command->add_option("--checkpoint-every", config.checkpoint_every, "Save a checkpoint every N steps (0: at the end)");
  command->add_option("--validate-every", config.validate_every, "With --validation: score it every N steps and at the end");
  command->add_option("--stop-at", arguments->run.stop_at, "Stop, saved and resumable, after this many steps (0: never)");
  command->add_option("--device", arguments->device, "cpu or cuda");
  command->add_option("--workers", arguments->run.workers, "Data loader threads");
  command->add_flag("--resume", arguments->run.resume, "Continue RUN/checkpoint.safetensors; its settings win");
  command->add_flag("--quiet", arguments->quiet, "No progress bar");
  command->callback([arguments] { run_train(*arguments); });
}

struct EvalArguments {
  InspectEvalOptions eval;
  double threshold = 0;
  std::string device = "cpu", json_path;
  bool quiet = false;
};

void run_eval(EvalArguments& arguments, bool threshold_given) {
  if (!arguments.eval.kind.empty()) find_inspector_kind(arguments.eval.kind);
  if (threshold_given) arguments.eval.threshold = arguments.threshold;
  arguments.eval.device = device_from_option(arguments.device);
  arguments.eval.progress = !arguments.quiet;
  InspectEvaluation evaluation = evaluate_inspector(arguments.eval);
  std::fputs(format_evaluation(evaluation).c_str(), stdout);
  if (!arguments.json_path.empty()) {
    io::write_file_atomically(arguments.json_path,
                              [&](std::ostream& out) { out << to_json(evaluation).dump(2) << "\n"; });
  }
}

void add_eval(CLI::App& group) {
  auto arguments = std::make_shared<EvalArguments>();
  CLI::App* command = group.add_subcommand("eval", "Evaluate a trained inspector on a test split");
  command->footer(
      "Test images: <surface>/test/good (normal) and <surface>/test/<defect> (defective) of an MVTec AD "
      "tree (or one surface's folder), or a plain folder labelled by its masks. Prints image AUROC, F1 "
      "at the threshold and the best F1, DR and FAR (score >= threshold: defective; paper 004 eqs. "
      "2-3); pixel AUROC and the best pixel F1 for inspectors with anomaly maps (autoencoder, "
      "segmenter); and mIoU at the threshold for the segmenter, whose score is its largest pixel "
      "probability (so an image is defective when a pixel has p >= threshold). --ckpt may also be "
      "RUN/checkpoint.safetensors of `dforge train pseudo`: paper 004's segmenter, evaluated as kind "
      "segmenter.");
  command->add_option("--ckpt", arguments->eval.checkpoint,
                      "checkpoint.safetensors of `dforge inspect train` or `dforge train pseudo`")
      ->required();
  command->add_option("--data", arguments->eval.data, "Dataset with a test split")->required();
  command->add_option("--kind", arguments->eval.kind, "Expected kind (checked against the checkpoint)");
  CLI::Option* threshold = command->add_option(
      "--threshold", arguments->threshold,
      "Decision threshold (default: the checkpoint's: 0.5 for the classifier and the segmenter, calibrated for "
      "the autoencoder)");
  command->add_option("--json", arguments->json_path, "Also write the metrics as JSON");
  command->add_option("--device", arguments->device, "cpu or cuda");
  command->add_option("--workers", arguments->eval.workers, "Data loader threads");
  command->add_flag("--quiet", arguments->quiet, "No progress bar");
  command->callback([arguments, threshold] { run_eval(*arguments, threshold->count() > 0); });
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  CLI::App* group = app.add_subcommand("inspect", "Downstream defect inspectors: train, eval");
  group->require_subcommand(1);
  add_train(*group);
  add_eval(*group);
}

}  // namespace dforge::apps
