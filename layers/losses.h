// Loss functions. Each is a composition of differentiable ops, so it has first- and second-order
// gradients with respect to every input that requires grad; an input that does not (a target, a
// mask weight) is a constant. Every loss returns the mean over all elements as a 0-d Variable.
#pragma once

#include "autograd/variable.h"
#include "runtime/tensor.h"

namespace dforge {

// mean((input - target)^2); input and target have the same shape.
Variable mse_loss(const Variable& input, const Variable& target);
// mean(|input - target|); input and target have the same shape.
Variable l1_loss(const Variable& input, const Variable& target);

// Binary cross-entropy on logits x with targets t in [0, 1], in the stable form
//   l = max(x, 0) - x t + log(1 + exp(-|x|))   (= -t log sigmoid(x) - (1 - t) log(1 - sigmoid(x)))
// times `weight` when given (it must broadcast to the logits' shape), averaged over all elements.
Variable bce_with_logits(const Variable& logits, const Variable& target, const Variable& weight = {});

// Multi-class cross-entropy: logits [N, C] or [N, C, H, W], target i32 [N] or [N, H, W] holding
// class indices in [0, C). l = -log_softmax(logits, 1)[target], averaged over N (and H, W).
Variable cross_entropy(const Variable& logits, const Tensor& target);

// Least-squares GAN loss: mean(weight * (prediction - target_value)^2). `weight` is optional and
// must broadcast to the prediction's shape (paper 000's mask weighting of the discriminator map).
Variable lsgan_loss(const Variable& prediction, double target_value, const Variable& weight = {});

}  // namespace dforge
