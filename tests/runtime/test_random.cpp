#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/philox.h"
#include "runtime/random.h"
#include "runtime/elementwise.h"
#include "runtime/reduce.h"

using namespace dforge;

TEST_CASE("philox4x32-10 matches the Random123 known-answer vectors", "[runtime][random]") {
  philox::Block zeros = philox::philox4x32_10(0, 0, 0, 0, 0, 0);
  CHECK(zeros.word[0] == 0x6627e8d5u);
  CHECK(zeros.word[1] == 0xe169c58du);
  CHECK(zeros.word[2] == 0xbc57ac4cu);
  CHECK(zeros.word[3] == 0x9b00dbd8u);
  philox::Block ones = philox::philox4x32_10(~0u, ~0u, ~0u, ~0u, ~0u, ~0u);
  CHECK(ones.word[0] == 0x408f276du);
  CHECK(ones.word[1] == 0x41c83b0eu);
  CHECK(ones.word[2] == 0xa20bc7c6u);
  CHECK(ones.word[3] == 0x6d5451fdu);
  philox::Block pi = philox::philox4x32_10(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u);
  CHECK(pi.word[0] == 0xd16cfe09u);
  CHECK(pi.word[1] == 0x94fdccebu);
  CHECK(pi.word[2] == 0x5001e420u);
  CHECK(pi.word[3] == 0x24126ea1u);
}

TEST_CASE("deterministic log and cos agree with libm to 1e-15", "[runtime][random]") {
  double worst_log = 0, worst_cos = 0;
  for (int i = 1; i <= 4000; ++i) {
    double x = i / 4000.0;
    worst_log = std::max(worst_log, std::fabs(philox::deterministic_log(x) - std::log(x)));
    double t = (i - 1) / 4000.0;
    worst_cos = std::max(worst_cos, std::fabs(philox::deterministic_cos_2pi(t) - std::cos(2 * M_PI * t)));
  }
  INFO("worst log error " << worst_log << ", worst cos error " << worst_cos);
  CHECK(worst_log < 1e-15);
  CHECK(worst_cos < 1e-15);
}

TEST_CASE("random fills are reproducible, advance per draw, and have the right moments", "[runtime][random]") {
  Generator first(42), second(42);
  Tensor a = Tensor::empty({100000}), b = Tensor::empty({100000});
  runtime::fill_normal(a, 1.0, 2.0, first);
  runtime::fill_normal(b, 1.0, 2.0, second);
  CHECK(a.to_vector() == b.to_vector());
  Tensor c = Tensor::empty({100000});
  runtime::fill_normal(c, 1.0, 2.0, first);  // the next draw differs
  CHECK(a.to_vector() != c.to_vector());
  // mean 1 +- 4 standard errors (2 / sqrt(1e5) = 0.0063), variance 4 +- 0.1
  CHECK(std::fabs(runtime::mean(a).item() - 1.0) < 0.026);
  CHECK(std::fabs(runtime::var(a, {0}, false, 1).item() - 4.0) < 0.1);

  Tensor u = Tensor::empty({100000}, DType::f64);
  runtime::fill_uniform(u, -1.0, 3.0, first);
  CHECK(runtime::max(u).item() < 3.0);
  CHECK(-runtime::max(runtime::unary(runtime::UnaryOp::neg, u)).item() >= -1.0);
  CHECK(std::fabs(runtime::mean(u).item() - 1.0) < 0.03);

  Tensor mask = Tensor::empty({100000});
  runtime::fill_bernoulli(mask, 0.3, first);
  CHECK(std::fabs(runtime::mean(mask).item() - 0.3) < 0.006);
  CHECK_THROWS_WITH(runtime::fill_bernoulli(mask, 1.5, first), Catch::Contains("1.5 is outside [0, 1]"));
}
