// Losses as compositions of differentiable ops (autograd/elementwise.h, reduce.h, softmax.h).
#include "layers/losses.h"

#include "autograd/elementwise.h"
#include "autograd/reduce.h"
#include "autograd/softmax.h"
#include "runtime/dispatch.h"
#include "runtime/error.h"
#include "runtime/shape_ops.h"

namespace dforge {

namespace {
// Throws naming `op` unless both are defined and of one shape.
void check_same_shape(const char* op, const Variable& input, const char* input_name, const Variable& target,
                      const char* target_name) {
  DFORGE_CHECK(input.defined(), op, ": ", input_name, " is an undefined Variable");
  DFORGE_CHECK(target.defined(), op, ": ", target_name, " is an undefined Variable");
  DFORGE_CHECK(input.shape() == target.shape(), op, ": ", input_name, " ", shape_str(input.shape()), " and ",
               target_name, " ", shape_str(target.shape()), " differ");
}

// NumPy rule, one way: `from` aligned to the right of `to`, each of its sizes equal or 1.
bool broadcasts_to(const Shape& from, const Shape& to) {
  if (from.size() > to.size()) return false;
  const size_t lead = to.size() - from.size();
  for (size_t d = 0; d < from.size(); ++d) {
    if (from[d] != 1 && from[d] != to[lead + d]) return false;
  }
  return true;
}

// `values` times `weight` when one is given; the weight must broadcast to the values' shape.
Variable weighted(const char* op, const Variable& values, const Variable& weight) {
  if (!weight.defined()) return values;
  DFORGE_CHECK(broadcasts_to(weight.shape(), values.shape()), op, ": weight ", shape_str(weight.shape()),
               " does not broadcast to the input's shape ", shape_str(values.shape()));
  return values * weight;
}
}  // namespace

Variable mse_loss(const Variable& input, const Variable& target) {
  check_same_shape("mse_loss", input, "input", target, "target");
  Variable difference = input - target;
  return mean(difference * difference);
}

Variable l1_loss(const Variable& input, const Variable& target) {
  check_same_shape("l1_loss", input, "input", target, "target");
  return mean(abs(input - target));
}

Variable bce_with_logits(const Variable& logits, const Variable& target, const Variable& weight) {
  check_same_shape("bce_with_logits", logits, "logits", target, "target");
  // log(1 + exp(-|x|)) never overflows: exp's argument is <= 0.
  Variable softplus_of_minus_abs = log(exp(neg(abs(logits))) + 1.0);
  Variable per_element = relu(logits) - logits * target + softplus_of_minus_abs;
  return mean(weighted("bce_with_logits", per_element, weight));
}

Variable cross_entropy(const Variable& logits, const Tensor& target) {
  DFORGE_CHECK(logits.defined(), "cross_entropy: logits is an undefined Variable");
  DFORGE_CHECK(logits.ndim() == 2 || logits.ndim() == 4, "cross_entropy: logits must be [N, C] or [N, C, H, W], got ",
               logits.describe());
  DFORGE_CHECK(target.defined(), "cross_entropy: target is an undefined tensor");
  check_same_device("cross_entropy", logits.data(), target);
  Shape expected = logits.shape();
  expected.erase(expected.begin() + 1);
  DFORGE_CHECK(target.shape() == expected, "cross_entropy: target ", shape_str(target.shape()), " does not match logits ",
               shape_str(logits.shape()), " (expected target ", shape_str(expected), ")");
  DFORGE_CHECK(target.numel() > 0, "cross_entropy: empty batch (target ", shape_str(target.shape()), ")");
  const int64_t classes = logits.shape()[1];
  runtime::check_class_indices(target, classes, "cross_entropy");
  // -sum_c onehot_c log_softmax(x)_c picks -log p[target] at every position.
  Variable picks(runtime::one_hot(target, classes, 1, logits.dtype()));
  const double positions = double(target.numel());
  return neg(sum(picks * log_softmax(logits, 1))) / positions;
}

Variable lsgan_loss(const Variable& prediction, double target_value, const Variable& weight) {
  DFORGE_CHECK(prediction.defined(), "lsgan_loss: prediction is an undefined Variable");
  Variable difference = prediction - target_value;
  return mean(weighted("lsgan_loss", difference * difference, weight));
}

}  // namespace dforge
