#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "runtime/index_divider.h"

using namespace dforge;

namespace {

// Counts the numerators whose quotient or remainder differs from the hardware division.
int64_t mismatches(int64_t divisor, const std::vector<int64_t>& numerators, int64_t largest) {
  const IndexDivider divider(divisor, largest);
  int64_t wrong = 0;
  for (int64_t n : numerators) {
    const QuotientRemainder result = divider.divide(n);
    wrong += result.quotient != n / divisor || result.remainder != n % divisor;
  }
  return wrong;
}

// Numerators where a multiply-shift division goes wrong first: multiples of d and their neighbours,
// the ends of the 32-bit range, and a spread of random values.
std::vector<int64_t> hard_numerators(int64_t divisor, std::mt19937_64& random) {
  constexpr int64_t kTop = (int64_t(1) << 32) - 1;
  std::vector<int64_t> values = {0, 1, 2, kTop, kTop - 1, (int64_t(1) << 31) - 1, int64_t(1) << 31};
  for (int64_t k : {int64_t(1), int64_t(2), int64_t(3), kTop / divisor - 1, kTop / divisor}) {
    for (int64_t delta : {-1, 0, 1}) {
      const int64_t n = k * divisor + delta;
      if (n >= 0 && n <= kTop) values.push_back(n);
    }
  }
  std::uniform_int_distribution<int64_t> any(0, kTop);
  for (int i = 0; i < 2000; ++i) values.push_back(any(random));
  return values;
}

}  // namespace

TEST_CASE("IndexDivider: every numerator below 2^16 for every divisor up to 300", "[runtime][index_divider]") {
  std::vector<int64_t> numerators(1 << 16);
  for (int64_t n = 0; n < int64_t(numerators.size()); ++n) numerators[n] = n;
  int64_t wrong = 0;
  for (int64_t divisor = 1; divisor <= 300; ++divisor) wrong += mismatches(divisor, numerators, 1 << 16);
  CHECK(wrong == 0);
}

TEST_CASE("IndexDivider: the 32-bit range's edges for small, large, power-of-two and awkward divisors",
          "[runtime][index_divider]") {
  std::mt19937_64 random(7);
  std::vector<int64_t> divisors = {1, 2, 3, 7, 10, 641, 65535, 65536, 65537, 1000003, 6700417,
                                   (int64_t(1) << 30) + 1, (int64_t(1) << 31) - 1, int64_t(1) << 31};
  for (int s = 0; s <= 31; ++s) divisors.push_back(int64_t(1) << s);
  std::uniform_int_distribution<int64_t> any_divisor(1, int64_t(1) << 31);
  for (int i = 0; i < 200; ++i) divisors.push_back(any_divisor(random));
  for (int64_t divisor : divisors) {
    INFO("divisor " << divisor);
    CHECK(mismatches(divisor, hard_numerators(divisor, random), (int64_t(1) << 32) - 1) == 0);
  }
}

TEST_CASE("IndexDivider: past 32 bits it divides in 64 bits", "[runtime][index_divider]") {
  const int64_t big = int64_t(1) << 40;
  const std::vector<int64_t> numerators = {0, 5, big - 1, big, big + 12345, 3 * big + 7};
  // numerators beyond 2^32: the multiply-shift would truncate them
  CHECK(mismatches(3, numerators, 4 * big) == 0);
  CHECK(mismatches(1000, numerators, 4 * big) == 0);
  // a divisor beyond 2^31
  CHECK(mismatches((int64_t(1) << 31) + 3, numerators, 4 * big) == 0);
  CHECK(mismatches(big + 1, numerators, 4 * big) == 0);
}
