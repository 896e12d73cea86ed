// CPU-versus-CUDA comparison for the CUDA test suite (ggml's test-backend-ops idea): an op is run
// on CPU inputs and on their CUDA copies, and every output of the GPU is compared with the CPU's,
// element by element, with a tolerance that scales: |gpu - cpu| <= atol + rtol |cpu|. NaN matches
// NaN, infinities must match exactly, integer outputs must be equal.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/tensor.h"

namespace dforge::testing {

using TensorOp = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;

// The device the tests compare with the CPU: cuda, or the cpu itself in a dry run (tests/cuda/
// main.cpp), which checks the test code on a machine without a GPU and proves nothing about CUDA.
Device target_device();
void set_dry_run(bool dry_run);

struct Comparison {
  bool ok = true;
  double worst = 0;    // largest |gpu - cpu| / (atol + rtol |cpu|) over all outputs
  std::string report;  // the op's name, the worst element's position and both values
};

Comparison compare_tensors(const Tensor& expected, const Tensor& actual, double rtol, double atol);

// Runs `op` on `inputs` (CPU tensors) and on copies of them on target_device(), checks that the
// outputs live there, and compares each with the CPU's. atol < 0 means atol = rtol.
Comparison compare_devices(const std::string& name, const TensorOp& op, const std::vector<Tensor>& inputs,
                           double rtol, double atol = -1);

// True when both tensors hold the same bytes (after copying to the host).
bool identical_bits(const Tensor& a, const Tensor& b);

// A CPU tensor of `dtype` with values uniform in [low, high), deterministic for `seed`. Integer
// dtypes get the values truncated toward zero.
Tensor random_input(const Shape& shape, uint64_t seed, DType dtype = DType::f32, double low = -1.0,
                    double high = 1.0);

std::vector<Tensor> to_device(const std::vector<Tensor>& tensors, Device device);

}  // namespace dforge::testing

// CHECK_DEVICES_AGREE(name, op, inputs, rtol): variadic so that a braced input list may hold commas.
#define CHECK_DEVICES_AGREE(...)                                             \
  do {                                                                       \
    const auto comparison = ::dforge::testing::compare_devices(__VA_ARGS__); \
    INFO(comparison.report);                                                 \
    CHECK(comparison.ok);                                                    \
  } while (0)
