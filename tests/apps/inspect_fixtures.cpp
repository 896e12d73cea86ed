#include "tests/apps/inspect_fixtures.h"

#include <catch2/catch.hpp>

#include <filesystem>

#include "apps/commands/inspect.h"

namespace dforge::testing {
namespace fs = std::filesystem;

std::string defects_folder(const std::string& data, const TemporaryDirectory& directory) {
  const fs::path out = directory.file("defects");
  fs::create_directories(out / "images");
  fs::create_directories(out / "masks");
  const fs::path surface = fs::path(data) / "plain_weave";
  for (const auto& kind : fs::directory_iterator(surface / "test")) {
    const std::string defect = kind.path().filename();
    if (defect == "good") continue;
    for (const auto& file : fs::directory_iterator(kind.path())) {
      const std::string stem = file.path().stem();
      if (stem.size() > 3 && stem.substr(stem.size() - 3) == "_bl") continue;
      fs::copy_file(file.path(), out / "images" / (defect + stem + ".png"));
      fs::copy_file(kind.path() / (stem + "_bl.png"), out / "images" / (defect + stem + "_bl.png"));
      fs::copy_file(surface / "ground_truth" / defect / (stem + "_mask.png"), out / "masks" / (defect + stem + ".png"));
    }
  }
  return out.string();
}

apps::InspectRunOptions tiny_run(const std::string& kind, const std::string& data, const std::string& defects,
                           const std::string& out, int64_t steps) {
  apps::InspectRunOptions run;
  run.data = data;
  run.defects = defects;
  run.out = out;
  run.config.kind = kind;
  run.config.width = 8;
  run.config.size = 32;
  run.config.batch = 4;
  run.config.steps = steps;
  run.config.checkpoint_every = 2;
  run.workers = 1;
  run.progress = false;
  return run;
}

void inspect_cli(std::vector<std::string> arguments) {
  CLI::App app{"test"};
  apps::add_inspect_command(app);
  arguments.insert(arguments.begin(), "dforge");
  std::vector<const char*> argv;
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  app.parse(int(argv.size()), argv.data());
}

}  // namespace dforge::testing
