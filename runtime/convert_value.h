// convert_value<Out>(x): one element converted to another dtype's type, the same way on the CPU and
// the GPU. Floating to integer truncates toward zero and saturates at the integer type's range,
// and NaN becomes 0. C++ leaves an out-of-range float-to-int conversion undefined (x86 gives
// INT_MIN for i32 and wraps for u8, while the GPU's conversion instructions saturate), so the
// clamping is written out. Every other pair converts as C++ does (integer narrowing wraps).
#pragma once

#include <limits>
#include <type_traits>

#include "runtime/host_device.h"

namespace dforge {

template <typename Out, typename In>
DFORGE_HOST_DEVICE Out convert_value(In value) {
  if constexpr (std::is_floating_point_v<In> && std::is_integral_v<Out>) {
    // Both bounds of i32 and u8 are exact in double.
    constexpr double low = double(std::numeric_limits<Out>::lowest());
    constexpr double high = double(std::numeric_limits<Out>::max());
    if (value != value) return Out(0);  // NaN
    if (double(value) <= low) return std::numeric_limits<Out>::lowest();
    if (double(value) >= high) return std::numeric_limits<Out>::max();
  }
  return Out(value);
}

}  // namespace dforge
