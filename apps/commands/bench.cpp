// `dforge bench seggan [--device cpu|cuda] [--size 128] [--batch 1,8] [--steps 10] [--warmup 2]
//  [--threads N] [--gen unet|resnet] [--no-torch]`: for each batch size, our training steps, then
// PyTorch's, and one table row: throughput of both, their ratio (ours / PyTorch: above 1 means we
// are faster) and peak memory.
#include "apps/commands/bench.h"

#include <omp.h>

#include <cstdio>
#include <memory>
#include <optional>

#include "apps/bench/seggan_bench.h"
#include "apps/bench/torch_seggan.h"
#include "apps/commands/device_option.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

struct BenchSegganArguments {
  std::string device = "cpu";
  int size = 128;
  std::vector<int> batches = {1, 8};
  int steps = 10;
  int warmup = 2;
  int threads = omp_get_max_threads();
  std::string generator = "unet";
  bool no_torch = false;
};

std::string megabytes(size_t bytes) { return concat(static_cast<long long>((bytes + (1 << 19)) >> 20)); }

std::string fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

void run_bench_seggan(const BenchSegganArguments& arguments, std::ostream& out) {
  SegganBenchCase bench_case;
  bench_case.device = device_from_option(arguments.device);
  bench_case.size = arguments.size;
  bench_case.steps = arguments.steps;
  bench_case.warmup = arguments.warmup;
  bench_case.threads = arguments.threads;
  bench_case.generator = arguments.generator;

  out << "seggan training step (G and D updates), " << arguments.generator << " generator, " << arguments.size
      << "x" << arguments.size << ", " << arguments.device << ", " << arguments.threads << " threads, median of "
      << arguments.steps << " steps after " << arguments.warmup << " warmup\n\n"
      << "| batch | ours steps/s | PyTorch steps/s | ours / PyTorch | ours peak MB | PyTorch peak MB |\n"
      << "| --- | --- | --- | --- | --- | --- |\n";
  std::string torch_version, torch_note = arguments.no_torch ? "PyTorch not run (--no-torch)" : "";
  for (int batch : arguments.batches) {
    bench_case.batch = batch;
    std::fprintf(stderr, "bench: ours, batch %d\n", batch);
    const StepTiming ours = time_seggan_steps(bench_case);
    std::optional<StepTiming> theirs;
    if (!arguments.no_torch) {
      std::fprintf(stderr, "bench: PyTorch, batch %d\n", batch);
      const TorchStepTiming torch = time_torch_seggan(bench_case);
      theirs = torch.timing;
      if (!torch.version.empty()) torch_version = torch.version;
      if (!torch.note.empty()) torch_note = torch.note;
    }
    out << "| " << batch << " | " << fixed(ours.steps_per_second, 3) << " | "
        << (theirs ? fixed(theirs->steps_per_second, 3) : "-") << " | "
        << (theirs ? fixed(ours.steps_per_second / theirs->steps_per_second, 2) + "x" : "-") << " | "
        << megabytes(ours.peak_bytes) << " | " << (theirs ? megabytes(theirs->peak_bytes) : "-") << " |\n";
  }
  out << "\n";
  if (!torch_version.empty()) out << "PyTorch " << torch_version << " eager (bench/seggan_torch.py)\n";
  if (!torch_note.empty()) out << "Note: " << torch_note << "; no ratio without it\n";
  out << "Peak memory: " << (bench_case.device.is_cuda() ? "bytes held by tensors at the peak"
                                                          : "growth of the resident set during the timed steps")
      << "\n";
}

void add_seggan(CLI::App& bench, std::ostream& out) {
  auto arguments = std::make_shared<BenchSegganArguments>();
  CLI::App* command =
      bench.add_subcommand("seggan", "Full seggan training steps (G and D updates) timed next to PyTorch eager");
  command->option_defaults()->always_capture_default();
  command->add_option("--device", arguments->device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}));
  command->add_option("--size", arguments->size, "Image side (a power of two; the U-Net has log2(size) levels)");
  command->add_option("--batch", arguments->batches, "Batch sizes, one table row each")->delimiter(',');
  command->add_option("--steps", arguments->steps, "Timed steps per batch size")->check(CLI::PositiveNumber);
  command->add_option("--warmup", arguments->warmup, "Untimed steps first")->check(CLI::NonNegativeNumber);
  command->add_option("--threads", arguments->threads, "CPU threads, ours and PyTorch's")
      ->check(CLI::PositiveNumber);
  command->add_option("--gen", arguments->generator, "Generator: unet or resnet")
      ->check(CLI::IsMember({"unet", "resnet"}));
  command->add_flag("--no-torch", arguments->no_torch, "Time ours alone");
  command->callback([arguments, &out] { run_bench_seggan(*arguments, out); });
}

}  // namespace

void add_bench_command(CLI::App& app, std::ostream& out) {
  CLI::App* bench =
      app.add_subcommand("bench", "Time a model's training step next to PyTorch (see `dforge bench <model> --help`)");
  bench->require_subcommand(1);
  add_seggan(*bench, out);
}

}  // namespace dforge::apps
