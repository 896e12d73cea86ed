// Division of element indices by a divisor that is fixed before a kernel starts (a dim's size),
// through a multiply-high, an add and a shift instead of an integer division, which a GPU has no
// instruction for (a 32-bit `/` is about twenty instructions, a 64-bit one a call).
//
// Granlund and Montgomery, "Division by invariant integers using multiplication" (PLDI 1994),
// Sec. 4, with N = 32: for a divisor 1 <= d <= 2^31 let s = ceil(log2 d) and
//   m = floor(2^32 (2^s - d) / d) + 1,
// which fits in 32 bits. Then for every 0 <= n < 2^32
//   floor(n / d) = (mulhi(m, n) + n) >> s,   mulhi(m, n) = floor(m n / 2^32),
// with the add done in 64 bits so it cannot overflow. The plan that builds a divider knows the
// largest index it will divide; when that is 2^32 or more, or the divisor is above 2^31 (tensors
// of over 4 G elements), the divider falls back to a plain 64-bit division. The choice is made
// once per launch, so every thread of a kernel takes the same branch.
#pragma once

#include <cstdint>

#include "runtime/host_device.h"

namespace dforge {

struct QuotientRemainder {
  int64_t quotient, remainder;
};

class IndexDivider {
 public:
  IndexDivider() = default;

  // Divides numerators 0 <= n <= largest_numerator by divisor >= 1. (A divisor of 0, the size of
  // an empty dim, is allowed as long as nothing is divided by it.)
  IndexDivider(int64_t divisor, int64_t largest_numerator) : divisor_(divisor) {
    fast_ = divisor >= 1 && divisor <= (int64_t(1) << 31) && largest_numerator < (int64_t(1) << 32);
    if (!fast_) return;
    while ((int64_t(1) << shift_) < divisor) ++shift_;
    multiplier_ = uint32_t(((uint64_t(1) << 32) * ((uint64_t(1) << shift_) - uint64_t(divisor))) / uint64_t(divisor) + 1);
  }

  DFORGE_HOST_DEVICE int64_t divisor() const { return divisor_; }

  DFORGE_HOST_DEVICE int64_t quotient(int64_t n) const {
    if (!fast_) return n / divisor_;
    const uint32_t numerator = uint32_t(n);
    return int64_t((uint64_t(multiply_high(multiplier_, numerator)) + numerator) >> shift_);
  }

  DFORGE_HOST_DEVICE QuotientRemainder divide(int64_t n) const {
    const int64_t q = quotient(n);
    return {q, n - q * divisor_};
  }

 private:
  DFORGE_HOST_DEVICE static uint32_t multiply_high(uint32_t a, uint32_t b) {
#if defined(__CUDA_ARCH__)
    return __umulhi(a, b);
#else
    return uint32_t((uint64_t(a) * b) >> 32);
#endif
  }

  int64_t divisor_ = 1;
  uint32_t multiplier_ = 1;  // with shift 0: n / 1 = (mulhi(1, n) + n) >> 0 = n
  uint32_t shift_ = 0;
  bool fast_ = true;
};

// The element offset of flat index `index` of a row-major walk over `dims` dims of the given
// sizes, each coordinate times its dim's stride (strides in elements; 0 repeats a dim).
DFORGE_HOST_DEVICE int64_t strided_offset(int64_t index, int dims, const IndexDivider* sizes, const int64_t* strides) {
  int64_t offset = 0;
  for (int d = dims - 1; d >= 0; --d) {
    const QuotientRemainder split = sizes[d].divide(index);
    offset += split.remainder * strides[d];
    index = split.quotient;
  }
  return offset;
}

}  // namespace dforge
