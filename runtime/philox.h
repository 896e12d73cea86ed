// Philox 4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011) and the
// distributions built on it. Counter-based: element i of a draw depends only on (seed, draw
// offset, i), so the CPU loop and a CUDA kernel produce the same numbers in any order. The
// transformations below use only IEEE-exact operations (+, *, fma, sqrt, exact scalings), never
// the platform's log/cos, so the CPU and the GPU agree bit for bit.
#pragma once

#include <cmath>
#include <cstdint>

#include "runtime/host_device.h"

namespace dforge::philox {

struct Block {
  uint32_t word[4];
};

DFORGE_HOST_DEVICE void multiply_high_low(uint32_t a, uint32_t b, uint32_t& high, uint32_t& low) {
  uint64_t product = uint64_t(a) * uint64_t(b);
  high = uint32_t(product >> 32);
  low = uint32_t(product);
}

// Ten rounds of Philox 4x32 on counter (c0..c3) with key (k0, k1).
DFORGE_HOST_DEVICE Block philox4x32_10(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1) {
  constexpr uint32_t kMultiplier0 = 0xD2511F53u, kMultiplier1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint32_t high0, low0, high1, low1;
    multiply_high_low(kMultiplier0, c0, high0, low0);
    multiply_high_low(kMultiplier1, c2, high1, low1);
    uint32_t n0 = high1 ^ c1 ^ k0, n1 = low1, n2 = high0 ^ c3 ^ k1, n3 = low0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return {{c0, c1, c2, c3}};
}

// The block for element `index` of the draw at `offset` under `seed`.
DFORGE_HOST_DEVICE Block block_for(uint64_t seed, uint64_t offset, uint64_t index) {
  return philox4x32_10(uint32_t(index), uint32_t(index >> 32), uint32_t(offset), uint32_t(offset >> 32),
                       uint32_t(seed), uint32_t(seed >> 32));
}

// 53 random bits as a double in [0, 1).
DFORGE_HOST_DEVICE double uniform53(uint32_t high, uint32_t low) {
  uint64_t bits = (uint64_t(high) << 21) | (low >> 11);
  return double(bits) * 0x1p-53;
}

// ln(x) for x > 0 to about 1e-16 relative: x = m 2^e with m in [sqrt(1/2), sqrt(2)),
// ln m = 2 atanh(s), s = (m - 1)/(m + 1), atanh by its odd series (|s| < 0.172).
DFORGE_HOST_DEVICE double deterministic_log(double x) {
  int exponent = 0;
  double mantissa = std::frexp(x, &exponent);  // exact: x = mantissa * 2^exponent, mantissa in [1/2, 1)
  if (mantissa < 0.70710678118654752440) {
    mantissa *= 2.0;
    exponent -= 1;
  }
  const double s = (mantissa - 1.0) / (mantissa + 1.0);
  const double s2 = s * s;
  // sum_{k=0}^{11} s2^k / (2k + 1), Horner with fma
  double series = 1.0 / 23.0;
  series = std::fma(series, s2, 1.0 / 21.0);
  series = std::fma(series, s2, 1.0 / 19.0);
  series = std::fma(series, s2, 1.0 / 17.0);
  series = std::fma(series, s2, 1.0 / 15.0);
  series = std::fma(series, s2, 1.0 / 13.0);
  series = std::fma(series, s2, 1.0 / 11.0);
  series = std::fma(series, s2, 1.0 / 9.0);
  series = std::fma(series, s2, 1.0 / 7.0);
  series = std::fma(series, s2, 1.0 / 5.0);
  series = std::fma(series, s2, 1.0 / 3.0);
  series = std::fma(series, s2, 1.0);
  constexpr double kLn2 = 0.69314718055994530942;
  return std::fma(double(exponent), kLn2, 2.0 * s * series);
}

// cos(2 pi t) for t in [0, 1). Reduced exactly to r = t - q/4 with |r| <= 1/8, then the Taylor
// series of sin or cos at x = 2 pi r (|x| <= pi/4).
DFORGE_HOST_DEVICE double deterministic_cos_2pi(double t) {
  const double quarter_turns = std::nearbyint(4.0 * t);  // 0..4, exact
  const double r = t - 0.25 * quarter_turns;              // exact (dyadic operands)
  const double x = 6.28318530717958647693 * r;
  const double x2 = x * x;
  double cos_series = 1.0 / 20922789888000.0;  // 1/16!
  cos_series = std::fma(cos_series, -x2, 1.0 / 87178291200.0);
  cos_series = std::fma(cos_series, -x2, 1.0 / 479001600.0);
  cos_series = std::fma(cos_series, -x2, 1.0 / 3628800.0);
  cos_series = std::fma(cos_series, -x2, 1.0 / 40320.0);
  cos_series = std::fma(cos_series, -x2, 1.0 / 720.0);
  cos_series = std::fma(cos_series, -x2, 1.0 / 24.0);
  cos_series = std::fma(cos_series, -x2, 0.5);
  const double cosine = std::fma(cos_series, -x2, 1.0);
  double sin_series = 1.0 / 355687428096000.0;  // 1/17!
  sin_series = std::fma(sin_series, -x2, 1.0 / 1307674368000.0);
  sin_series = std::fma(sin_series, -x2, 1.0 / 6227020800.0);
  sin_series = std::fma(sin_series, -x2, 1.0 / 39916800.0);
  sin_series = std::fma(sin_series, -x2, 1.0 / 362880.0);
  sin_series = std::fma(sin_series, -x2, 1.0 / 5040.0);
  sin_series = std::fma(sin_series, -x2, 1.0 / 120.0);
  sin_series = std::fma(sin_series, -x2, 1.0 / 6.0);
  const double sine = x * std::fma(sin_series, -x2, 1.0);
  switch (int(quarter_turns) & 3) {  // cos(x + q pi/2)
    case 0: return cosine;
    case 1: return -sine;
    case 2: return -cosine;
    default: return sine;
  }
}

// Uniform in [low, high) from one block. low + (high - low) u is written as one fused
// multiply-add: a compiler may or may not contract the plain expression (nvcc does by default, a
// host compiler only when the target has FMA), and the two backends must round it the same way.
DFORGE_HOST_DEVICE double uniform(const Block& block, double low, double high) {
  return std::fma(high - low, uniform53(block.word[0], block.word[1]), low);
}

// Standard normal by Box-Muller: sqrt(-2 ln u1) cos(2 pi u2), u1 in (0, 1].
DFORGE_HOST_DEVICE double standard_normal(const Block& block) {
  const double u1 = 1.0 - uniform53(block.word[0], block.word[1]);
  const double u2 = uniform53(block.word[2], block.word[3]);
  return std::sqrt(-2.0 * deterministic_log(u1)) * deterministic_cos_2pi(u2);
}

// mean + stddev z, z standard normal, fused for the same reason as uniform().
DFORGE_HOST_DEVICE double normal(const Block& block, double mean, double stddev) {
  return std::fma(stddev, standard_normal(block), mean);
}

}  // namespace dforge::philox
