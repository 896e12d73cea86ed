// `dforge demo [--data DIR] [--out DIR] [--preset auto|cpu|gpu] [--device auto|cpu|cuda] [--steps N]`.
#include "apps/commands/demo.h"

#include <cstdio>
#include <memory>

#include "apps/commands/device_option.h"
#include "apps/demo/demo.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

struct DemoArguments {
  DemoOptions demo;
  std::string device = "auto";
  bool quiet = false;
};

void run_demo_command(DemoArguments& arguments) {
  arguments.demo.device = device_from_option(arguments.device);
  arguments.demo.progress = !arguments.quiet;
  const std::string report = run_demo(arguments.demo);
  std::printf("demo: report written to %s\n", report.c_str());
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto arguments = std::make_shared<DemoArguments>();
  CLI::App* command = app.add_subcommand(
      "demo",
      "The main job: generate the built-in data, train seggan on three surfaces, paint defects on seen and "
      "unseen surfaces, evaluate inside/outside the masks, write an HTML report");
  command->option_defaults()->always_capture_default();
  command->add_option("--data", arguments->demo.data, "Built-in dataset folder (generated when absent)");
  command->add_option("--out", arguments->demo.out, "Demo folder: seggan run, syntheses, report.html");
  command->add_option("--preset", arguments->demo.preset,
                      "cpu: ~10 minutes on two cores (64-pixel crops, narrow U-Net); gpu: the paper's size; "
                      "auto: by device")
      ->check(CLI::IsMember({"auto", "cpu", "gpu"}));
  command->add_option("--device", arguments->device, "auto (cuda when a GPU is visible), cpu or cuda");
  command->add_option("--steps", arguments->demo.steps, "Training steps of each model (0: the preset's)");
  command->add_flag("--quiet", arguments->quiet, "No progress bars");
  command->callback([arguments] { run_demo_command(*arguments); });
}

}  // namespace dforge::apps
