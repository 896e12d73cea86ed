// `dforge bench seggan` end to end with tiny settings through the command's CLI11 app: it runs our
// training steps and prints the table. No timing assertions: tests never depend on speed.
#include <catch2/catch.hpp>

#include <sstream>

#include "apps/commands/bench.h"

using Catch::Matchers::Contains;

TEST_CASE("dforge bench seggan runs our steps and prints a table", "[apps]") {
  std::ostringstream out;
  CLI::App app{"test"};
  dforge::apps::add_bench_command(app, out);
  const char* argv[] = {"dforge", "bench", "seggan", "--size", "32", "--steps", "1", "--warmup", "0",
                        "--no-torch", "--batch", "1", "--threads", "1"};
  app.parse(int(std::size(argv)), argv);
  const std::string table = out.str();
  INFO(table);
  CHECK_THAT(table, Contains("| batch | ours steps/s | PyTorch steps/s | ours / PyTorch |"));
  CHECK_THAT(table, Contains("| 1 | "));
  CHECK_THAT(table, Contains("| - | - |"));  // no PyTorch figures, hence no ratio
  CHECK_THAT(table, Contains("Note: PyTorch not run (--no-torch)"));
}
