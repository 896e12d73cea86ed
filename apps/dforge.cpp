// The dforge command line. Each command lives in apps/commands/ and registers itself on the app;
// any error becomes one line on stderr and exit code 2.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "apps/commands/bench.h"
#include "apps/commands/datagen.h"
#include "apps/commands/demo.h"
#include "apps/commands/eval.h"
#include "apps/commands/experiment.h"
#include "apps/commands/forward.h"
#include "apps/commands/inspect.h"
#include "apps/commands/synth.h"
#include "apps/commands/train.h"
#include "apps/exit_status.h"

int main(int argc, char** argv) {
  CLI::App app{"defectforge: industrial defect synthesis", "dforge"};
  app.require_subcommand(1);
  dforge::apps::add_demo_command(app);
  dforge::apps::add_datagen_command(app);
  dforge::apps::add_train_command(app);
  dforge::apps::add_synth_command(app);
  dforge::apps::add_eval_command(app);
  dforge::apps::add_forward_command(app);
  dforge::apps::add_inspect_command(app);
  dforge::apps::add_experiment_command(app);
  dforge::apps::add_bench_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& help) {
    return app.exit(help);
  } catch (const dforge::apps::ExitStatus& status) {
    return status.code;
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "dforge: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "dforge: %s\n", error.what());
    return 2;
  }
  return 0;
}
