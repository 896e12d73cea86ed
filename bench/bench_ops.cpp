// bench_ops: forward+backward timings of the ops that dominate a seggan step, at seggan's shapes
// (64-256 channels, 128x128 down to 16x16, batch --batch), on the CPU or the GPU. Prints one JSON
// object per line: first {"device": ..., "peak_bytes_per_second": ...} (0 on the CPU), then one
// per case {"case": ..., "ms": ..., "bytes": ...}, where bytes is the least memory traffic the
// case needs (every input read once, every output written once; 0 for the compute-bound cases).
// bench/ops_vs_torch.py runs the same cases in PyTorch in the same run and prints the ratios and,
// on the GPU, the achieved fraction of peak bandwidth. Each case: a warm-up, then the median of
// several repetitions; on CUDA every repetition ends in a synchronize before the clock is read.
//   bench_ops [--device cpu|cuda] [--batch N] [--only SUBSTRING]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "autograd/conv.h"
#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/norm.h"
#include "autograd/reduce.h"
#include "autograd/resize.h"
#include "autograd/shape_ops.h"
#include "models/seggan/networks.h"
#include "runtime/cuda_backend.h"
#include "runtime/optimizer_update.h"
#include "runtime/random.h"

using namespace dforge;

namespace {

Device device = Device::cpu();
int batch = 1;
std::string only;  // run the cases whose name contains this
Generator generator(0);

bool selected(const std::string& name) { return name.find(only) != std::string::npos; }

Tensor random_tensor(const Shape& shape) {
  Tensor data = Tensor::empty(shape);
  runtime::fill_normal(data, 0.0, 1.0, generator);
  return data.to(device);
}

Variable random_variable(const Shape& shape, bool requires_grad) { return Variable(random_tensor(shape), requires_grad); }

double median_ms(const std::function<void()>& body, int repetitions) {
  body();  // warm-up: first-touch allocations, OpenBLAS threads, cuBLAS/cuDNN plans
  cuda::synchronize();
  std::vector<double> times;
  for (int i = 0; i < repetitions; ++i) {
    auto start = std::chrono::steady_clock::now();
    body();
    if (device.is_cuda()) cuda::synchronize();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int repetitions(int cpu) { return device.is_cuda() ? 50 : cpu; }

// `extra`: more JSON members, each starting with ", ".
void report(const std::string& name, double ms, double bytes = 0, const std::string& extra = "") {
  std::printf("{\"case\": \"%s\", \"ms\": %.5f, \"bytes\": %.0f%s}\n", name.c_str(), ms, bytes, extra.c_str());
  std::fflush(stdout);
}

double float_bytes(const Shape& shape) { return 4.0 * double(numel_of(shape)); }

// y = conv(x); backward of sum(y * g) for a fixed g: input, weight and bias gradients.
void bench_conv(const std::string& name, int in, int out, int size, int kernel, int stride, int padding,
                bool transposed) {
  if (!selected(name)) return;
  Variable x = random_variable({batch, in, size, size}, true);
  Variable weight = random_variable(transposed ? Shape{in, out, kernel, kernel} : Shape{out, in, kernel, kernel}, true);
  Variable bias = random_variable({out}, true);
  ConvParams params{stride, padding, 1, 0};
  auto forward = [&] { return transposed ? conv_transpose2d(x, weight, bias, params) : conv2d(x, weight, bias, params); };
  Variable g = random_variable(forward().shape(), false);
  report(name, median_ms([&] {
    backward({forward()}, {g});
    x.clear_grad(); weight.clear_grad(); bias.clear_grad();
  }, repetitions(7)));
}

// The memory-bound cases: forward reads x and writes y, backward reads g (and x) and writes dx.

void bench_instance_norm(const std::string& name, int channels, int size) {
  if (!selected(name)) return;
  Variable x = random_variable({batch, channels, size, size}, true);
  Variable g = random_variable(x.shape(), false);
  report(name, median_ms([&] {
    backward({instance_norm(x, Variable(), Variable(), 1e-5)}, {g});
    x.clear_grad();
  }, repetitions(15)), 5 * float_bytes(x.shape()));
}

void bench_batch_norm(const std::string& name, int channels, int size) {
  if (!selected(name)) return;
  Variable x = random_variable({batch, channels, size, size}, true);
  Variable weight = Variable(Tensor::full({channels}, 1.0).to(device), true);
  Variable bias = Variable(Tensor::zeros({channels}).to(device), true);
  Tensor running_mean = Tensor::zeros({channels}).to(device), running_var = Tensor::full({channels}, 1.0).to(device);
  Variable g = random_variable(x.shape(), false);
  report(name, median_ms([&] {
    backward({batch_norm(x, weight, bias, running_mean, running_var, true, 0.1, 1e-5)}, {g});
    x.clear_grad(); weight.clear_grad(); bias.clear_grad();
  }, repetitions(15)), 5 * float_bytes(x.shape()));
}

void bench_leaky_relu(const std::string& name, int channels, int size) {
  if (!selected(name)) return;
  Variable x = random_variable({batch, channels, size, size}, true);
  Variable g = random_variable(x.shape(), false);
  report(name, median_ms([&] {
    backward({leaky_relu(x, 0.2)}, {g});
    x.clear_grad();
  }, repetitions(15)), 5 * float_bytes(x.shape()));
}

// Nearest 2x upsampling: forward reads N/4, writes N; backward reads N, writes N/4.
void bench_upsample(const std::string& name, int channels, int size, UpsampleMode mode) {
  if (!selected(name)) return;
  Variable x = random_variable({batch, channels, size / 2, size / 2}, true);
  Variable g = random_variable({batch, channels, size, size}, false);
  report(name, median_ms([&] {
    backward({upsample(x, size, size, mode)}, {g});
    x.clear_grad();
  }, repetitions(15)), 2.5 * float_bytes(g.shape()));
}

// The U-Net skip connection: cat along channels; forward and backward each move 4 inputs' worth.
void bench_cat(const std::string& name, int channels, int size) {
  if (!selected(name)) return;
  Variable a = random_variable({batch, channels, size, size}, true);
  Variable b = random_variable({batch, channels, size, size}, true);
  Variable g = random_variable({batch, 2 * channels, size, size}, false);
  report(name, median_ms([&] {
    backward({cat({a, b}, 1)}, {g});
    a.clear_grad(); b.clear_grad();
  }, repetitions(15)), 8 * float_bytes(a.shape()));
}

// mean over all but the channel axis (a bias gradient, a norm's statistic): reads N, writes C;
// backward broadcasts C back to N.
void bench_channel_mean(const std::string& name, int channels, int size) {
  if (!selected(name)) return;
  Variable x = random_variable({batch, channels, size, size}, true);
  Variable g = random_variable({channels}, false);
  report(name, median_ms([&] {
    backward({mean(x, {0, 2, 3})}, {g});
    x.clear_grad();
  }, repetitions(15)), 2 * float_bytes(x.shape()));
}

// One RAdam step (rectified) over every parameter of seggan's U-Net generator at 256 px, as the
// trainer does it: parameter, gradient and two moments read, parameter and moments written.
void bench_radam(const std::string& name) {
  if (!selected(name)) return;
  models::SegganConfig config;
  config.crop = 256;
  Generator init(0);
  models::SegganNetworks networks(config, init);
  std::vector<AdamTensors> group;  // one group update: one kernel launch on the GPU
  std::string shapes;
  double bytes = 0;
  for (const Variable& parameter : networks.g_y->parameters()) {
    const Shape& shape = parameter.shape();
    group.push_back({random_tensor(shape), random_tensor(shape), Tensor::zeros(shape).to(device),
                     Tensor::zeros(shape).to(device)});
    bytes += 7 * float_bytes(shape);
    shapes += (shapes.empty() ? "[" : ", [");
    for (size_t i = 0; i < shape.size(); ++i) shapes += (i ? ", " : "") + std::to_string(shape[i]);
    shapes += "]";
  }
  AdamStep step{AdamRule::radam_rectified, 2e-4, 0.5, 0.999, 1e-8, 0, 0.5, 0.01, 0.2};
  const double ms = median_ms([&] { runtime::adam_update(group, step); }, repetitions(15));
  report(name, ms, bytes, ", \"shapes\": [" + shapes + "]");
}

// PatchGAN-like: conv 3->64 k4s2 + LReLU, conv 64->128 k4s2 + IN + LReLU, conv 128->1 k4s1.
void bench_net(const std::string& name, int size) {
  if (!selected(name)) return;
  Variable x = random_variable({batch, 3, size, size}, false);
  VariableList weights = {random_variable({64, 3, 4, 4}, true), random_variable({128, 64, 4, 4}, true),
                          random_variable({1, 128, 4, 4}, true)};
  VariableList biases = {random_variable({64}, true), random_variable({128}, true), random_variable({1}, true)};
  report(name, median_ms([&] {
    Variable h = leaky_relu(conv2d(x, weights[0], biases[0], {2, 1, 1, 0}), 0.2);
    h = leaky_relu(instance_norm(conv2d(h, weights[1], biases[1], {2, 1, 1, 0}), Variable(), Variable(), 1e-5), 0.2);
    Variable y = conv2d(h, weights[2], biases[2], {1, 1, 1, 0});
    backward(mean(y * y));
    for (auto& w : weights) w.clear_grad();
    for (auto& b : biases) b.clear_grad();
  }, repetitions(7)));
}

int usage(const char* program) {
  std::fprintf(stderr, "usage: %s [--device cpu|cuda] [--batch N] [--only SUBSTRING]\n", program);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    if (i + 1 >= argc) return usage(argv[0]);
    const std::string value = argv[++i];
    if (option == "--device" && (value == "cpu" || value == "cuda")) {
      device = Device::parse(value);
    } else if (option == "--batch" && std::atoi(value.c_str()) > 0) {
      batch = std::atoi(value.c_str());
    } else if (option == "--only") {
      only = value;
    } else {
      return usage(argv[0]);
    }
  }
  if (device.is_cuda() && !cuda::device_present()) {
    std::fprintf(stderr, "bench_ops: --device cuda, but no CUDA device is visible (or this build has no CUDA)\n");
    return 2;
  }
  const cuda::DeviceInfo info = device.is_cuda() ? cuda::device_info() : cuda::DeviceInfo{"cpu", 0};
  std::printf("{\"device\": \"%s\", \"peak_bytes_per_second\": %.0f, \"batch\": %d}\n", info.name.c_str(),
              info.peak_bytes_per_second, batch);

  bench_conv("conv 64->128 k4s2 128x128", 64, 128, 128, 4, 2, 1, false);
  bench_conv("conv 128->256 k4s2 64x64", 128, 256, 64, 4, 2, 1, false);
  bench_conv("conv 256->256 k3s1 32x32", 256, 256, 32, 3, 1, 1, false);
  bench_conv("conv 256->256 k4s2 16x16", 256, 256, 16, 4, 2, 1, false);
  bench_conv("convT 256->128 k4s2 32x32", 256, 128, 32, 4, 2, 1, true);
  bench_conv("convT 128->64 k4s2 64x64", 128, 64, 64, 4, 2, 1, true);
  bench_instance_norm("instance_norm 64x128x128", 64, 128);
  bench_instance_norm("instance_norm 256x32x32", 256, 32);
  bench_batch_norm("batch_norm 64x128x128", 64, 128);
  bench_leaky_relu("leaky_relu 64x128x128", 64, 128);
  bench_upsample("upsample nearest 64x64->128x128", 64, 128, UpsampleMode::nearest);
  bench_upsample("upsample bilinear 64x64->128x128", 64, 128, UpsampleMode::bilinear);
  bench_cat("cat 2x64x128x128", 64, 128);
  bench_channel_mean("mean over N,H,W 64x128x128", 64, 128);
  bench_radam("radam step, seggan G 256px");
  bench_net("3-layer conv net 128x128", 128);
  return 0;
}
