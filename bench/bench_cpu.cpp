// bench_cpu: forward+backward timings of the ops that dominate a seggan step on the CPU, at
// seggan-like shapes (batch 1, 64-256 channels, 128x128 down to 16x16). Prints one JSON object
// per case ({"case": ..., "ms": ...}); bench/cpu_vs_torch.py runs the same cases in PyTorch in the
// same run and prints the ratios. Each case: warm-up, then the median of several repetitions.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "autograd/conv.h"
#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/norm.h"
#include "autograd/reduce.h"
#include "runtime/random.h"

using namespace dforge;

namespace {

Generator generator(0);

Variable random_variable(const Shape& shape, bool requires_grad) {
  Tensor data = Tensor::empty(shape);
  runtime::fill_normal(data, 0.0, 1.0, generator);
  return Variable(data, requires_grad);
}

double median_ms(const std::function<void()>& body, int repetitions) {
  body();  // warm-up: first-touch allocations, OpenBLAS thread start
  std::vector<double> times;
  for (int i = 0; i < repetitions; ++i) {
    auto start = std::chrono::steady_clock::now();
    body();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

void report(const std::string& name, double ms) { std::printf("{\"case\": \"%s\", \"ms\": %.4f}\n", name.c_str(), ms); }

// y = conv(x); backward of sum(y * g) for a fixed g: input, weight and bias gradients.
void bench_conv(const std::string& name, int in, int out, int size, int kernel, int stride, int padding,
                bool transposed) {
  Variable x = random_variable({1, in, size, size}, true);
  Variable weight = random_variable(transposed ? Shape{in, out, kernel, kernel} : Shape{out, in, kernel, kernel}, true);
  Variable bias = random_variable({out}, true);
  ConvParams params{stride, padding, 1, 0};
  Variable probe = transposed ? conv_transpose2d(x, weight, bias, params) : conv2d(x, weight, bias, params);
  Variable g = random_variable(probe.shape(), false);
  report(name, median_ms([&] {
    Variable y = transposed ? conv_transpose2d(x, weight, bias, params) : conv2d(x, weight, bias, params);
    backward({y}, {g});
    x.clear_grad(); weight.clear_grad(); bias.clear_grad();
  }, 7));
}

void bench_instance_norm(const std::string& name, int channels, int size) {
  Variable x = random_variable({1, channels, size, size}, true);
  Variable g = random_variable(x.shape(), false);
  report(name, median_ms([&] {
    Variable y = instance_norm(x, Variable(), Variable(), 1e-5);
    backward({y}, {g});
    x.clear_grad();
  }, 15));
}

// PatchGAN-like: conv 3->64 k4s2 + LReLU, conv 64->128 k4s2 + IN + LReLU, conv 128->1 k4s1.
void bench_net(const std::string& name, int size) {
  Variable x = random_variable({1, 3, size, size}, false);
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
  }, 7));
}

}  // namespace

int main() {
  bench_conv("conv 64->128 k4s2 128x128", 64, 128, 128, 4, 2, 1, false);
  bench_conv("conv 128->256 k4s2 64x64", 128, 256, 64, 4, 2, 1, false);
  bench_conv("conv 256->256 k3s1 32x32", 256, 256, 32, 3, 1, 1, false);
  bench_conv("conv 256->256 k4s2 16x16", 256, 256, 16, 4, 2, 1, false);
  bench_conv("convT 256->128 k4s2 32x32", 256, 128, 32, 4, 2, 1, true);
  bench_conv("convT 128->64 k4s2 64x64", 128, 64, 64, 4, 2, 1, true);
  bench_instance_norm("instance_norm 64x128x128", 64, 128);
  bench_instance_norm("instance_norm 256x32x32", 256, 32);
  bench_net("3-layer conv net 128x128", 128);
  return 0;
}
