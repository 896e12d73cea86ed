#include "layers/norm.h"

#include "runtime/elementwise.h"
#include "runtime/error.h"

namespace dforge {

BatchNorm2d::BatchNorm2d(int channels, double eps, double momentum, bool affine) : eps_(eps), momentum_(momentum) {
  DFORGE_CHECK(channels > 0, "BatchNorm2d: channel count must be positive, got ", channels);
  if (affine) {
    weight = register_parameter("weight", Tensor::full({channels}, 1.0));
    bias = register_parameter("bias", Tensor::zeros({channels}));
  }
  running_mean = register_buffer("running_mean", Tensor::zeros({channels}));
  running_var = register_buffer("running_var", Tensor::full({channels}, 1.0));
  num_batches_tracked = register_buffer("num_batches_tracked", Tensor::zeros({}, DType::i32));
}

Variable BatchNorm2d::forward(const Variable& input) {
  Tensor mean = running_mean.data(), variance = running_var.data();  // shared storage: updated in place
  if (is_training()) {
    num_batches_tracked.set_data(Tensor::scalar(num_batches_tracked.item() + 1, DType::i32, input.device()));
  }
  return batch_norm(input, weight, bias, mean, variance, is_training(), momentum_, eps_);
}

InstanceNorm2d::InstanceNorm2d(int channels, double eps, bool affine) : eps_(eps) {
  DFORGE_CHECK(channels > 0, "InstanceNorm2d: channel count must be positive, got ", channels);
  if (affine) {
    weight = register_parameter("weight", Tensor::full({channels}, 1.0));
    bias = register_parameter("bias", Tensor::zeros({channels}));
  }
}

Variable InstanceNorm2d::forward(const Variable& input) { return instance_norm(input, weight, bias, eps_); }

}  // namespace dforge
