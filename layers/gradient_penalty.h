// The WGAN-GP gradient penalty (Gulrajani et al. 2017, eq. 3; MODELS.md "WGAN-GP", as in
// yunjey/stargan's gradient_penalty):
//   x_hat = alpha x_real + (1 - alpha) x_fake,   alpha ~ U(0, 1) per sample,
//   penalty = mean_i (||d sum(D(x_hat)) / d x_hat_i||_2 - 1)^2.
// The input gradient is taken with create_graph, so the penalty backpropagates into D's weights
// (a second-order gradient). The critic's output may be a patch map: it is summed, as StarGAN's
// grad_outputs of ones does.
#pragma once

#include <functional>

#include "autograd/variable.h"
#include "runtime/tensor.h"

namespace dforge {

using Critic = std::function<Variable(const Variable&)>;

// The penalty at given points x_hat [N, ...] (constants; the gradient is taken with respect to them).
Variable gradient_norm_penalty(const Critic& critic, const Tensor& x_hat);

// The penalty on the segment between real and fake [N, ...] (both constants, same shape), at
// alpha [N, 1, ..., 1] (one value per sample, in [0, 1]; the caller draws it, U(0, 1), from its stream).
Variable gradient_penalty(const Critic& critic, const Tensor& real, const Tensor& fake, const Tensor& alpha);

}  // namespace dforge
