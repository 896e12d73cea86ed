// Group optimizer updates (runtime/optimizer_update.h): a group update leaves every member exactly
// where updating it alone (a group of one) leaves it, and the dispatcher's checks name the member.
#include <catch2/catch.hpp>

#include <cstring>

#include "runtime/optimizer_update.h"
#include "tests/support/adam_rule_steps.h"
#include "tests/support/gradcheck.h"

using namespace dforge;
using testing::random_tensor;

namespace {

// Odd sizes, an empty tensor and one large enough for the CPU loop to run in parallel.
const std::vector<Shape> kShapes = {{3, 5}, {0}, {1}, {70001}, {64, 3, 3, 3}, {2, 0, 4}, {7}};

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() && std::memcmp(a.raw(), b.raw(), a.nbytes()) == 0;
}

Tensor random_of(const Shape& shape, uint64_t seed, DType dtype, double low = -1, double high = 1) {
  return random_tensor(shape, seed, low, high, DType::f64).to(dtype);
}

}  // namespace

TEST_CASE("a group sgd update equals updating each member alone, bit for bit", "[optim][optimizer_update]") {
  const SgdStep steps[] = {
      {.lr = 0.1},
      {.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01},
      {.lr = 0.02, .momentum = 0.8, .weight_decay = 0.001, .nesterov = true},
  };
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const SgdStep& step : steps) {
      std::vector<SgdTensors> group, alone;
      for (size_t i = 0; i < kShapes.size(); ++i) {
        const Tensor parameter = random_of(kShapes[i], 10 + i, dtype), grad = random_of(kShapes[i], 30 + i, dtype);
        const Tensor buffer = step.momentum != 0 ? random_of(kShapes[i], 50 + i, dtype) : Tensor();
        const bool first_step = i % 2 == 1;  // members start their momentum buffers at different steps
        group.push_back({parameter.clone(), grad, buffer.defined() ? buffer.clone() : Tensor(), first_step});
        alone.push_back({parameter.clone(), grad, buffer.defined() ? buffer.clone() : Tensor(), first_step});
      }
      for (int repeat = 0; repeat < 2; ++repeat) {
        runtime::sgd_update(group, step);
        for (const SgdTensors& member : alone) runtime::sgd_update({member}, step);
      }
      for (size_t i = 0; i < kShapes.size(); ++i) {
        INFO(dtype_name(dtype) << " member " << i << " momentum " << step.momentum);
        CHECK(same_bits(group[i].parameter, alone[i].parameter));
        if (step.momentum != 0) CHECK(same_bits(group[i].momentum_buffer, alone[i].momentum_buffer));
      }
    }
  }
}

TEST_CASE("a group adam update equals updating each member alone, bit for bit", "[optim][optimizer_update]") {
  const std::vector<AdamStep> steps = testing::adam_rule_steps();
  for (DType dtype : {DType::f32, DType::f64}) {
    std::vector<AdamTensors> group, alone;
    for (size_t i = 0; i < kShapes.size(); ++i) {
      const Tensor parameter = random_of(kShapes[i], 10 + i, dtype), grad = random_of(kShapes[i], 30 + i, dtype);
      const Tensor first = random_of(kShapes[i], 50 + i, dtype, -0.1, 0.1),
                   second = random_of(kShapes[i], 70 + i, dtype, 0, 0.01);
      group.push_back({parameter.clone(), grad, first.clone(), second.clone()});
      alone.push_back({parameter.clone(), grad, first.clone(), second.clone()});
    }
    for (const AdamStep& step : steps) {
      runtime::adam_update(group, step);
      for (const AdamTensors& member : alone) runtime::adam_update({member}, step);
    }
    for (size_t i = 0; i < kShapes.size(); ++i) {
      INFO(dtype_name(dtype) << " member " << i);
      CHECK(same_bits(group[i].parameter, alone[i].parameter));
      CHECK(same_bits(group[i].exp_avg, alone[i].exp_avg));
      CHECK(same_bits(group[i].exp_avg_sq, alone[i].exp_avg_sq));
    }
  }
}

TEST_CASE("group optimizer updates check every member", "[optim][optimizer_update]") {
  const Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({4});
  const AdamStep adam{.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8};
  runtime::adam_update({}, adam);  // an empty group does nothing
  runtime::sgd_update({}, {.lr = 0.1});

  CHECK_THROWS_WITH(runtime::adam_update(
                        {{a, a.clone(), a.clone(), a.clone()}, {b, b.clone(), Tensor::zeros({5}), b.clone()}}, adam),
                    Catch::Contains("adam: parameter 1: exp_avg [5] does not match the parameter [4]"));
  CHECK_THROWS_WITH(runtime::adam_update({{a, a.clone(), a.clone(), a.clone()},
                                          {b.to(DType::f64), Tensor::zeros({4}, DType::f64),
                                           Tensor::zeros({4}, DType::f64), Tensor::zeros({4}, DType::f64)}},
                                         adam),
                    Catch::Contains("all parameters of a group must share one device and dtype") &&
                        Catch::Contains("parameter 1 is f64[4]"));
  CHECK_THROWS_WITH(runtime::sgd_update({{a, Tensor::zeros({3, 2}), Tensor(), false}}, {.lr = 0.1}),
                    Catch::Contains("sgd: parameter 0: gradient [3, 2] does not match the parameter [2, 3]"));
  CHECK_THROWS_WITH(runtime::sgd_update({{a, a.clone(), Tensor(), false}}, {.lr = 0.1, .momentum = 0.9}),
                    Catch::Contains("sgd: parameter 0 [2, 3] has an undefined momentum buffer"));
  CHECK_THROWS_WITH(runtime::sgd_update({{a, a.clone(), Tensor(), false}, {b, b.clone(), Tensor(), false},
                                         {a, a.clone(), Tensor(), false}},
                                        {.lr = 0.1}),
                    Catch::Contains("sgd: parameters 0 and 2 are the same tensor [2, 3]"));
  CHECK_THROWS_WITH(runtime::sgd_update({{a, a.to(DType::f64), Tensor(), false}}, {.lr = 0.1}),
                    Catch::Contains("sgd: parameter 0 is f32[2, 3] cpu but its gradient is f64[2, 3] cpu"));
}
