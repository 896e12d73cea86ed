// Losses: forwards worked out by hand, error messages, and f64 first- and second-order gradient
// checks with respect to every input that can require grad.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/elementwise.h"
#include "layers/losses.h"
#include "runtime/error.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using Catch::Matchers::Contains;
using testing::random_input;
using testing::check_both_orders;

namespace {
Variable values(const std::vector<double>& data, const Shape& shape, bool requires_grad = false) {
  return Variable(Tensor::from_values(data, shape, DType::f64), requires_grad);
}

}  // namespace

TEST_CASE("mse_loss and l1_loss of a small case", "[layers][loss]") {
  // differences (0, 2, -2): squares (0, 4, 4) -> 8/3; absolute values (0, 2, 2) -> 4/3.
  Variable prediction = values({1, 2, 3}, {3});
  Variable target = values({1, 0, 5}, {3});
  Variable mse = mse_loss(prediction, target);
  CHECK(mse.ndim() == 0);
  CHECK(mse.item() == Approx(8.0 / 3.0).epsilon(1e-12));
  CHECK(l1_loss(prediction, target).item() == Approx(4.0 / 3.0).epsilon(1e-12));
}

TEST_CASE("bce_with_logits of a few values", "[layers][loss]") {
  // l = max(x, 0) - x t + log(1 + exp(-|x|)):
  //   x = 0,  t = 1:   0 - 0 + log 2              = 0.6931471806
  //   x = 2,  t = 0:   2 - 0 + log(1 + e^-2)      = 2 + 0.1269280110 = 2.1269280110
  //   x = -1, t = 0.5: 0 + 0.5 + log(1 + e^-1)    = 0.5 + 0.3132616875 = 0.8132616875
  // mean = 3.6333368791 / 3 = 1.2111122930; with weight (1, 0, 2): (0.6931471806 + 1.6265233750) / 3.
  Variable logits = values({0, 2, -1}, {3});
  Variable target = values({1, 0, 0.5}, {3});
  CHECK(bce_with_logits(logits, target).item() == Approx(1.2111122930).epsilon(1e-9));
  CHECK(bce_with_logits(logits, target, values({1, 0, 2}, {3})).item() == Approx(0.7732235185).epsilon(1e-9));
  // Large logits: exp never overflows. x = 1000, t = 1 and x = -1000, t = 0 both cost log(1 + e^-1000) = 0.
  CHECK(bce_with_logits(values({1000, -1000}, {2}), values({1, 0}, {2})).item() == Approx(0.0).margin(1e-12));
}

TEST_CASE("cross_entropy of a 2x3 case and of a map", "[layers][loss]") {
  // Row 0: logits (1, 2, 3), class 2: -log_softmax = log(e^-2 + e^-1 + 1) = 0.4076059644.
  // Row 1: logits (0, 0, 0), class 0: log 3 = 1.0986122887. Mean = 0.7531091266.
  Variable logits = values({1, 2, 3, 0, 0, 0}, {2, 3});
  Tensor target = Tensor::from_values({2, 0}, {2}, DType::i32);
  CHECK(cross_entropy(logits, target).item() == Approx(0.7531091266).epsilon(1e-9));
  // [N=1, C=3, H=1, W=2]: pixel 0 has logits (1, 2, 3) and class 0 (-log p = 2.4076059644), pixel 1
  // has (0, 0, 0) and class 1 (log 3). Mean = 1.7531091266.
  Variable map = values({1, 0, 2, 0, 3, 0}, {1, 3, 1, 2});
  Tensor map_target = Tensor::from_values({0, 1}, {1, 1, 2}, DType::i32);
  CHECK(cross_entropy(map, map_target).item() == Approx(1.7531091266).epsilon(1e-9));
}

TEST_CASE("lsgan_loss with and without a broadcast weight", "[layers][loss]") {
  // (0.5 - 1)^2, (1 - 1)^2, (-1 - 1)^2 = 0.25, 0, 4 -> 4.25 / 3.
  CHECK(lsgan_loss(values({0.5, 1, -1}, {3}), 1.0).item() == Approx(4.25 / 3.0).epsilon(1e-12));
  // prediction [[0, 1], [2, 3]], target 1, weight (1, 0) per column: 1 + 0 + 1 + 0 over 4 = 0.5.
  Variable prediction = values({0, 1, 2, 3}, {2, 2});
  CHECK(lsgan_loss(prediction, 1.0, values({1, 0}, {2})).item() == Approx(0.5).epsilon(1e-12));
  // target 0 with no weight: (0 + 1 + 4 + 9) / 4.
  CHECK(lsgan_loss(prediction, 0.0).item() == Approx(3.5).epsilon(1e-12));
}

TEST_CASE("losses reject bad arguments with clear messages", "[layers][loss]") {
  Variable a = values({1, 2, 3}, {3});
  CHECK_THROWS_WITH(mse_loss(a, values({1, 2}, {2})), Contains("mse_loss: input [3] and target [2] differ"));
  CHECK_THROWS_WITH(l1_loss(a, Variable()), Contains("l1_loss: target is an undefined Variable"));
  CHECK_THROWS_WITH(bce_with_logits(a, a, values({1, 2}, {2})),
                    Contains("bce_with_logits: weight [2] does not broadcast") && Contains("[3]"));
  CHECK_THROWS_WITH(lsgan_loss(values({1, 2, 3, 4}, {2, 2}), 1.0, values({1, 1, 1, 1}, {4, 1})),
                    Contains("lsgan_loss: weight [4, 1] does not broadcast to the input's shape [2, 2]"));
  Variable logits = values({1, 2, 3, 0, 0, 0}, {2, 3});
  CHECK_THROWS_WITH(cross_entropy(logits, Tensor::from_values({0, 3}, {2}, DType::i32)),
                    Contains("cross_entropy: target[1] = 3 is not a class index in [0, 3)"));
  CHECK_THROWS_WITH(cross_entropy(logits, Tensor::from_values({0, -1}, {2}, DType::i32)),
                    Contains("target[1] = -1"));
  CHECK_THROWS_WITH(cross_entropy(logits, Tensor::from_values({0, 1}, {2})),
                    Contains("cross_entropy: target must be i32"));
  CHECK_THROWS_WITH(cross_entropy(logits, Tensor::from_values({0, 1, 2}, {3}, DType::i32)),
                    Contains("cross_entropy: target [3] does not match logits [2, 3]"));
  CHECK_THROWS_WITH(cross_entropy(values({1, 2, 3}, {3}), Tensor::from_values({0}, {1}, DType::i32)),
                    Contains("cross_entropy: logits must be [N, C] or [N, C, H, W]"));
}

TEST_CASE("losses: first and second order gradients", "[layers][loss]") {
  SECTION("mse_loss") {
    check_both_orders([](const VariableList& v) { return mse_loss(v[0], v[1]); },
                      {random_input({2, 3}, 51), random_input({2, 3}, 52)});
  }
  SECTION("l1_loss") {  // inputs far apart, so no difference sits at the kink of |.|
    check_both_orders([](const VariableList& v) { return l1_loss(v[0], v[1]); },
                      {random_input({2, 3}, 53, 1, 2), random_input({2, 3}, 54, -2, -1)});
  }
  SECTION("bce_with_logits") {  // logits away from 0 (the kink of |x| in the stable form)
    check_both_orders([](const VariableList& v) { return bce_with_logits(v[0], v[1]); },
                      {random_input({2, 3}, 55, 0.2, 2), random_input({2, 3}, 56, 0, 1)});
    check_both_orders(
        [](const VariableList& v) { return bce_with_logits(v[0], v[1], v[2]); },
        {random_input({2, 3}, 57, -2, -0.2), random_input({2, 3}, 58, 0, 1), random_input({3}, 59, 0.5, 2)});
  }
  SECTION("cross_entropy") {
    Tensor labels = Tensor::from_values({2, 0, 1, 1}, {4}, DType::i32);
    check_both_orders([&](const VariableList& v) { return cross_entropy(v[0], labels); },
                      {random_input({4, 3}, 60, -2, 2)});
    Tensor map_labels = Tensor::from_values({0, 2, 1, 1, 0, 2, 2, 1}, {2, 2, 2}, DType::i32);
    check_both_orders([&](const VariableList& v) { return cross_entropy(v[0], map_labels); },
                      {random_input({2, 3, 2, 2}, 61, -2, 2)});
  }
  SECTION("lsgan_loss") {
    check_both_orders([](const VariableList& v) { return lsgan_loss(v[0], 1.0); }, {random_input({2, 3}, 62)});
    check_both_orders([](const VariableList& v) { return lsgan_loss(v[0], 0.0, v[1]); },
                      {random_input({2, 3, 2}, 63), random_input({3, 1}, 64, 0, 1)});
  }
}
