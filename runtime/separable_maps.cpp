// The 1-D maps of pooling, resizing and padding (see separable_maps.h).
#include "runtime/separable_maps.h"

#include <algorithm>

namespace dforge {

AxisMap average_window_map(int64_t inputs, int64_t outputs, int kernel, int stride, int padding,
                           bool count_include_pad) {
  AxisMap map(inputs);
  for (int64_t o = 0; o < outputs; ++o) {
    const int64_t start = o * stride - padding;
    const int64_t end = std::min<int64_t>(start + kernel, inputs + padding);
    const int64_t first = std::max<int64_t>(start, 0), last = std::min(end, inputs);
    const double divisor = double(count_include_pad ? end - start : last - first);
    for (int64_t i = first; i < last; ++i) map.add_tap(i, 1.0 / divisor);
    map.end_row();
  }
  return map;
}

AxisMap adaptive_bin_map(int64_t inputs, int64_t outputs) {
  AxisMap map(inputs);
  for (int64_t o = 0; o < outputs; ++o) {
    const int64_t start = o * inputs / outputs;
    const int64_t end = ((o + 1) * inputs + outputs - 1) / outputs;
    for (int64_t i = start; i < end; ++i) map.add_tap(i, 1.0 / double(end - start));
    map.end_row();
  }
  return map;
}

namespace {

// Output o copies input floor(o in / out).
AxisMap nearest_map(int64_t inputs, int64_t outputs) {
  AxisMap map(inputs);
  for (int64_t o = 0; o < outputs; ++o) {
    map.add_tap(o * inputs / outputs, 1.0);
    map.end_row();
  }
  return map;
}

// PyTorch's area_pixel_compute_source_index for linear interpolation.
double bilinear_source(int64_t o, int64_t inputs, int64_t outputs, bool align_corners) {
  if (align_corners) return outputs > 1 ? double(o) * double(inputs - 1) / double(outputs - 1) : 0.0;
  return std::max((double(o) + 0.5) * double(inputs) / double(outputs) - 0.5, 0.0);
}

// Output o blends inputs i0 = floor(src) and i1 = min(i0 + 1, in - 1) with weights 1 - t and t.
// At the last input both taps name the same element and their weights still sum to 1.
AxisMap bilinear_map(int64_t inputs, int64_t outputs, bool align_corners) {
  AxisMap map(inputs);
  for (int64_t o = 0; o < outputs; ++o) {
    const double source = bilinear_source(o, inputs, outputs, align_corners);
    const int64_t low = std::min(int64_t(source), inputs - 1);
    const int64_t high = std::min(low + 1, inputs - 1);
    const double t = source - double(low);
    map.add_tap(low, 1.0 - t);
    map.add_tap(high, t);
    map.end_row();
  }
  return map;
}

}  // namespace

AxisMap resize_map(int64_t inputs, int64_t outputs, UpsampleMode mode, bool align_corners) {
  return mode == UpsampleMode::nearest ? nearest_map(inputs, outputs) : bilinear_map(inputs, outputs, align_corners);
}

AxisMap pad_map(int64_t inputs, int before, int after, PadMode mode) {
  AxisMap map(inputs);
  for (int64_t o = 0; o < inputs + before + after; ++o) {
    int64_t i = o - before;
    if (mode == PadMode::reflect) i = i < 0 ? -i : (i >= inputs ? 2 * (inputs - 1) - i : i);
    if (mode == PadMode::replicate) i = std::clamp<int64_t>(i, 0, inputs - 1);
    if (i >= 0 && i < inputs) map.add_tap(i, 1.0);
    map.end_row();
  }
  return map;
}

}  // namespace dforge
