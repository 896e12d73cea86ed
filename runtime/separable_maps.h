// The 1-D matrices of the separable linear image ops (pooling, resizing, padding), built on the
// host once for both backends: runtime/cpu/<op>.cpp and runtime/cuda/<op>.cu pass a pair of them
// (rows, columns) to their apply_separable, and the transposed pair's adjoint gives the backward.
// Each builder maps `inputs` samples of one dim to `outputs` (or, for padding, inputs + before +
// after) samples following the rules stated in runtime/pool.h, resize.h and pad.h.
#pragma once

#include <cstdint>

#include "runtime/axis_map.h"
#include "runtime/pad.h"
#include "runtime/resize.h"

namespace dforge {

// Average pooling along one dim: output o averages inputs [o s - p, o s - p + k) clipped to the
// image. PyTorch's divisor: the window clipped to the padded image (k when ceil_mode is off) with
// count_include_pad, else the number of inputs inside the image. The 2-D divisor is the product
// of the two 1-D ones, which is what makes the map separable.
AxisMap average_window_map(int64_t inputs, int64_t outputs, int kernel, int stride, int padding,
                           bool count_include_pad);

// Adaptive average pooling along one dim: output o averages inputs
// [floor(o in / out), ceil((o + 1) in / out)).
AxisMap adaptive_bin_map(int64_t inputs, int64_t outputs);

// Upsampling along one dim: nearest copies input floor(o in / out); bilinear blends
// i0 = floor(src) and i1 = min(i0 + 1, in - 1) with weights 1 - t and t.
AxisMap resize_map(int64_t inputs, int64_t outputs, UpsampleMode mode, bool align_corners);

// Output o of a dim padded by `before` and `after` copies input i = o - before, moved into the
// image by the mode: reflect mirrors about the edge sample (-1 -> 1, in -> in - 2), replicate
// clamps to it, zeros leaves out-of-image outputs without a tap (value 0).
AxisMap pad_map(int64_t inputs, int before, int after, PadMode mode);

}  // namespace dforge
