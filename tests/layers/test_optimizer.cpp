#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <memory>

#include "layers/lr_schedule.h"
#include "layers/optimizer.h"
#include "tests/support/gradcheck.h"

using namespace dforge;

namespace {
// One parameter [p] with gradient [g] set by hand.
Variable parameter_with_grad(double value, double gradient) {
  Variable p(Tensor::from_values({value}, {1}, DType::f64), true);
  p.set_grad(Variable(Tensor::from_values({gradient}, {1}, DType::f64)));
  return p;
}
}  // namespace

TEST_CASE("sgd with momentum and weight decay, by hand", "[optim]") {
  Variable p = parameter_with_grad(1.0, 0.5);
  Sgd sgd({{"p", p}}, {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01});
  sgd.step();  // g' = 0.5 + 0.01*1 = 0.51; buffer = 0.51; p = 1 - 0.1*0.51 = 0.949
  CHECK(p.item() == Approx(0.949).epsilon(1e-12));
  sgd.step();  // g' = 0.5 + 0.00949 = 0.50949; buffer = 0.9*0.51 + 0.50949 = 0.96849; p = 0.949 - 0.096849
  CHECK(p.item() == Approx(0.852151).epsilon(1e-12));
}

TEST_CASE("adam: the first step moves by lr in the gradient's direction", "[optim]") {
  Variable p = parameter_with_grad(1.0, 0.5);
  Adam adam({{"p", p}}, {.lr = 0.1});
  adam.step();  // m_hat = g, v_hat = g^2: p -= 0.1 * 0.5 / (0.5 + 1e-8)
  CHECK(p.item() == Approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8)).epsilon(1e-12));
}

TEST_CASE("radam: plain steps until rho_t > 5 (t = 6 with beta2 = 0.999), then rectified", "[optim]") {
  Variable p = parameter_with_grad(0.0, 1.0);
  RAdam radam({{"p", p}}, {.lr = 0.01, .beta1 = 0.9, .beta2 = 0.999});
  for (int t = 1; t <= 5; ++t) {
    radam.step();  // constant gradient 1: m_hat = 1 exactly, so each plain step is -lr
    CHECK(p.item() == Approx(-0.01 * t).epsilon(1e-12));
  }
  radam.step();  // t = 6: rectified; m_hat = 1, v_hat = 1, adaptive lr = sqrt(bc2) / (sqrt(v) + eps) ~ 1
  const double b2 = 0.999, t = 6;
  const double rho_inf = 2 / (1 - b2) - 1;
  const double rho_t = rho_inf - 2 * t * std::pow(b2, t) / (1 - std::pow(b2, t));
  REQUIRE(rho_t > 5);
  const double rect = std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
  const double v = 1 - std::pow(b2, t);
  const double adaptive = std::sqrt(1 - std::pow(b2, t)) / (std::sqrt(v) + 1e-8);
  CHECK(p.item() == Approx(-0.05 - 0.01 * adaptive * rect).epsilon(1e-10));
}

TEST_CASE("optimizer state round-trips and resumes identically", "[optim]") {
  Variable a = parameter_with_grad(1.0, 0.3), b = parameter_with_grad(1.0, 0.3);
  RAdam first({{"p", a}}, {.lr = 0.01});
  for (int i = 0; i < 7; ++i) first.step();
  NamedTensors saved = first.state_dict();
  b.set_data(a.data().clone());
  RAdam second({{"p", b}}, {.lr = 0.01});
  second.load_state_dict(saved);
  first.step();
  second.step();
  CHECK(a.item() == b.item());
  CHECK(second.steps_taken() == 8);
  CHECK_THROWS_WITH(second.load_state_dict({{"q.exp_avg", Tensor::zeros({1}, DType::f64)}}),
                    Catch::Contains("unexpected optimizer state 'q.exp_avg'"));
}

TEST_CASE("learning-rate schedules", "[optim]") {
  Variable p = parameter_with_grad(0.0, 1.0);
  Adam adam({{"p", p}}, {.lr = 2e-4});
  LinearDecaySchedule decay(adam, 100, 100);
  CHECK(decay.factor(0) == 1.0);
  CHECK(decay.factor(99) == 1.0);
  CHECK(decay.factor(100) == Approx(1.0 - 1.0 / 101));
  CHECK(decay.factor(199) == Approx(1.0 - 100.0 / 101));
  decay.apply(150);
  CHECK(adam.groups()[0].lr == Approx(2e-4 * (1.0 - 51.0 / 101)));
  StepSchedule steps(adam, 10, 0.5);
  CHECK(steps.factor(25) == 0.25);
  // Towards a floor (Defect-GAN's 2e-4 -> 1e-6): the same line, scaled by (1 - end).
  LinearDecaySchedule floor(adam, 100, 100, 0.005);
  CHECK(floor.factor(99) == 1.0);
  CHECK(floor.factor(199) == Approx(1.0 - 0.995 * 100.0 / 101));
  // The run-level form: constant for the first 40% of 10 steps, i.e. steps 0-3.
  LinearDecaySchedule run = decay_after_fraction(adam, 10, 0.4, 0.5);
  CHECK(run.factor(3) == 1.0);
  CHECK(run.factor(4) == Approx(1.0 - 0.5 * 1.0 / 7));
  CHECK(run.factor(9) == Approx(1.0 - 0.5 * 6.0 / 7));
  CHECK_THROWS_WITH(LinearDecaySchedule(adam, 1, 1, 1.5), Catch::Contains("end factor 1.5"));
}

TEST_CASE("gradient clipping scales to the requested global norm", "[optim]") {
  Variable a = parameter_with_grad(0.0, 3.0), b = parameter_with_grad(0.0, 4.0);
  double norm = clip_grad_norm({a, b}, 1.0);
  CHECK(norm == Approx(5.0));
  CHECK(a.grad().item() == Approx(0.6).epsilon(1e-6));
  CHECK(b.grad().item() == Approx(0.8).epsilon(1e-6));
}

TEST_CASE("a group's update equals each parameter's own optimizer, gradients arriving late included", "[optim]") {
  // Three parameters in one group (one runtime call per step) against the same three each in an
  // optimizer of its own: bit for bit, also when a parameter gets its first gradient at a later
  // step (its momentum buffer or moments start then) or skips a step.
  const std::vector<Shape> shapes = {{4, 3}, {70001}, {5}};
  auto make = [&](uint64_t seed) {
    std::vector<Variable> parameters;
    for (size_t i = 0; i < shapes.size(); ++i) {
      parameters.emplace_back(testing::random_tensor(shapes[i], seed + i).to(DType::f32), true);
    }
    return parameters;
  };
  auto has_grad = [](size_t i, int step) { return i != 2 || (step >= 2 && step != 4); };
  for (const std::string kind : {"sgd", "adam", "radam"}) {
    std::vector<Variable> together = make(1), alone = make(1);
    auto optimizer_for = [&](const NamedVariables& parameters) -> std::unique_ptr<Optimizer> {
      if (kind == "sgd") {
        return std::make_unique<Sgd>(parameters, SgdOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01});
      }
      if (kind == "adam") return std::make_unique<Adam>(parameters, AdamOptions{.lr = 1e-2, .weight_decay = 0.01});
      return std::make_unique<RAdam>(parameters, AdamOptions{.lr = 1e-2, .beta1 = 0.5});
    };
    NamedVariables named;
    for (size_t i = 0; i < shapes.size(); ++i) named.emplace_back("p" + std::to_string(i), together[i]);
    std::unique_ptr<Optimizer> group = optimizer_for(named);
    std::vector<std::unique_ptr<Optimizer>> single;
    for (size_t i = 0; i < shapes.size(); ++i) single.push_back(optimizer_for({{"p" + std::to_string(i), alone[i]}}));
    for (int step = 0; step < 8; ++step) {
      for (size_t i = 0; i < shapes.size(); ++i) {
        together[i].clear_grad();
        alone[i].clear_grad();
        if (!has_grad(i, step)) continue;
        const Tensor g = testing::random_tensor(shapes[i], 100 + 10 * step + i).to(DType::f32);
        together[i].set_grad(Variable(g));
        alone[i].set_grad(Variable(g.clone()));
      }
      group->step();
      // Each single optimizer steps every time, as the group's does (Adam's step count belongs to
      // the optimizer, not the parameter); a parameter without a gradient is skipped by both.
      for (auto& optimizer : single) optimizer->step();
    }
    for (size_t i = 0; i < shapes.size(); ++i) {
      INFO(kind << " parameter " << i);
      const Tensor a = together[i].data(), b = alone[i].data();
      CHECK(std::memcmp(a.raw(), b.raw(), a.nbytes()) == 0);
    }
    const NamedTensors state = group->state_dict();
    NamedTensors expected = {state.front()};
    for (auto& optimizer : single) {
      const NamedTensors one = optimizer->state_dict();
      expected.insert(expected.end(), one.begin() + 1, one.end());
    }
    REQUIRE(state.size() == expected.size());
    for (size_t k = 0; k < state.size(); ++k) {
      INFO(kind << " state " << state[k].first);
      CHECK(state[k].first == expected[k].first);
      CHECK(std::memcmp(state[k].second.raw(), expected[k].second.raw(), state[k].second.nbytes()) == 0);
    }
  }
}
