// Normalisation layers with PyTorch's names and defaults.
#pragma once

#include "autograd/norm.h"
#include "layers/module.h"

namespace dforge {

// BatchNorm2d: weight (ones) and bias (zeros) when affine; buffers running_mean (zeros),
// running_var (ones) and num_batches_tracked (i32 here, int64 in PyTorch; loading converts).
class BatchNorm2d : public Module {
 public:
  explicit BatchNorm2d(int channels, double eps = 1e-5, double momentum = 0.1, bool affine = true);
  Variable forward(const Variable& input) override;

  Variable weight, bias, running_mean, running_var, num_batches_tracked;

 protected:
  std::string type_name() const override { return "BatchNorm2d"; }

 private:
  double eps_, momentum_;
};

// InstanceNorm2d: per-sample, per-channel statistics; no running statistics (PyTorch's default,
// and what CycleGAN uses); weight and bias only when affine.
class InstanceNorm2d : public Module {
 public:
  explicit InstanceNorm2d(int channels, double eps = 1e-5, bool affine = false);
  Variable forward(const Variable& input) override;

  Variable weight, bias;

 protected:
  std::string type_name() const override { return "InstanceNorm2d"; }

 private:
  double eps_;
};

}  // namespace dforge
