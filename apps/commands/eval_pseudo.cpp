#include "apps/commands/eval_pseudo.h"

#include <cstdio>
#include <memory>

#include "apps/pseudo/evaluate_segmenter.h"
#include "runtime/error.h"
#include "runtime/io/atomic_file.h"

namespace dforge::apps {
namespace {

struct EvalPseudoArguments {
  SegmenterEvalOptions eval;
  std::string device = "cpu", json_path;
  bool quiet = false;
};

void run_eval_pseudo(EvalPseudoArguments& arguments) {
  arguments.eval.device = Device::parse(arguments.device);
  DFORGE_CHECK(!arguments.eval.device.is_cuda() || cuda_available(),
               "--device cuda: this build has no CUDA backend or no GPU is visible");
  arguments.eval.progress = !arguments.quiet;
  const SegmenterEvaluation evaluation = evaluate_segmenter(arguments.eval);
  print_segmenter_evaluation(evaluation, stdout);
  if (!arguments.json_path.empty())
    io::write_file_atomically(arguments.json_path,
                              [&](std::ostream& stream) { stream << to_json(evaluation).dump(2) << "\n"; });
}

}  // namespace

void add_eval_pseudo_command(CLI::App& app) {
  CLI::App* eval = app.get_subcommand("eval");
  auto arguments = std::make_shared<EvalPseudoArguments>();
  CLI::App* command = eval->add_subcommand(
      "pseudo", "DR, FAR, mIoU, pixel AUROC and F1 of a pseudo segmenter on <surface>/test of an MVTec AD tree");
  command->add_option("--ckpt", arguments->eval.checkpoint, "RUN/checkpoint.safetensors of `dforge train pseudo`")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--data", arguments->eval.data, "Dataset folder in MVTec AD layout")->required();
  command->option_defaults()->always_capture_default();
  command->add_option("--surfaces", arguments->eval.surfaces, "Surfaces to evaluate; default all")->delimiter(',');
  command->add_option("--threshold", arguments->eval.threshold, "Defect probability threshold")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--min-pixels", arguments->eval.min_pixels,
                      "Pixels at or above the threshold that make an image defective (DR/FAR)");
  command->add_option("--json", arguments->json_path, "Also write the numbers to this JSON file");
  command->add_option("--device", arguments->device, "cpu or cuda");
  command->add_flag("--quiet", arguments->quiet, "No progress bar");
  command->callback([arguments] { run_eval_pseudo(*arguments); });
}

}  // namespace dforge::apps
