#include "layers/gradient_penalty.h"

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/reduce.h"
#include "runtime/error.h"

namespace dforge {

Variable gradient_norm_penalty(const Critic& critic, const Tensor& x_hat) {
  DFORGE_CHECK(x_hat.ndim() >= 2, "gradient_penalty: x_hat ", x_hat.describe(), " must be [N, ...]");
  Variable points(x_hat, /*requires_grad=*/true);
  Variable score = critic(points);
  Variable gradient = grad({sum(score)}, {points}, {}, /*create_graph=*/true)[0];
  std::vector<int> per_sample;
  for (int axis = 1; axis < x_hat.ndim(); ++axis) per_sample.push_back(axis);
  Variable norms = sqrt(sum(gradient * gradient, per_sample));
  return mean((norms - 1.0) * (norms - 1.0));
}

Variable gradient_penalty(const Critic& critic, const Tensor& real, const Tensor& fake, const Tensor& alpha) {
  DFORGE_CHECK(real.shape() == fake.shape(), "gradient_penalty: real ", real.describe(), " and fake ",
               fake.describe(), " differ in shape");
  Shape per_sample(real.ndim(), 1);
  per_sample[0] = real.size(0);
  DFORGE_CHECK(alpha.shape() == per_sample, "gradient_penalty: alpha ", alpha.describe(),
               " must hold one value per sample, ", shape_str(per_sample));
  // alpha real + (1 - alpha) fake = fake + alpha (real - fake)
  Variable a(alpha.to(real.device())), x_real(real), x_fake(fake);
  Tensor x_hat = (x_fake + a * (x_real - x_fake)).data();
  return gradient_norm_penalty(critic, x_hat);
}

}  // namespace dforge
