// time_seggan_steps: our side of the seggan bench.
#include "apps/bench/seggan_bench.h"

#include <omp.h>

#include <chrono>
#include <vector>

#include "apps/bench/peak_memory.h"
#include "models/seggan/trainer.h"
#include "runtime/cuda_backend.h"
#include "runtime/random.h"

namespace dforge::apps {
namespace {

void wait_for_device(Device device) {
  if (device.is_cuda()) cuda::synchronize();
}

// Sets the OpenMP thread count for the bench and restores the caller's on the way out.
class ThreadCountGuard {
 public:
  explicit ThreadCountGuard(int threads) : previous_(omp_get_max_threads()) { omp_set_num_threads(threads); }
  ~ThreadCountGuard() { omp_set_num_threads(previous_); }

 private:
  int previous_;
};

}  // namespace

StepTiming time_seggan_steps(const SegganBenchCase& bench_case) {
  ThreadCountGuard threads(bench_case.threads);
  models::SegganConfig config;
  config.generator = bench_case.generator;
  config.crop = bench_case.size;
  config.batch = bench_case.batch;
  config.steps = bench_case.warmup + bench_case.steps;
  config.validate();
  models::SegganTrainer trainer(config, bench_case.device);

  const int64_t batch = bench_case.batch, size = bench_case.size;
  Generator generator(1);
  Tensor normal = Tensor::empty({batch, config.image_channels, size, size});
  Tensor defective = Tensor::empty({batch, config.image_channels, size, size});
  Tensor masks = Tensor::empty({batch, 1, size, size});
  runtime::fill_uniform(normal, -1, 1, generator);
  runtime::fill_uniform(defective, -1, 1, generator);
  runtime::fill_bernoulli(masks, 0.5, generator);
  normal = normal.to(bench_case.device);
  defective = defective.to(bench_case.device);
  masks = masks.to(bench_case.device);

  for (int step = 0; step < bench_case.warmup; ++step) trainer.step(normal, defective, masks);
  wait_for_device(bench_case.device);
  PeakMemory memory(bench_case.device);
  memory.reset();
  std::vector<double> seconds;
  for (int step = 0; step < bench_case.steps; ++step) {
    const auto start = std::chrono::steady_clock::now();
    trainer.step(normal, defective, masks);
    wait_for_device(bench_case.device);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  StepTiming timing = timing_from_seconds(seconds);
  timing.peak_bytes = memory.peak_bytes();
  return timing;
}

}  // namespace dforge::apps
