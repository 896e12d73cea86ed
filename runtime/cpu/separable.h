// Separable linear maps of image planes: the CPU machinery behind every linear op of the pool,
// resize and pad families. Each of those ops is, per (n, c) plane X of size in_h x in_w,
//   Y = A_h X A_w^T          (Y[i, j] = sum_a sum_b A_h[i, a] A_w[j, b] X[a, b])
// with A_h (out_h x in_h) and A_w (out_w x in_w) sparse 1-D maps: avg pooling, adaptive pooling,
// nearest and bilinear upsampling and the three padding modes differ only in those two matrices.
// The adjoint is X' = A_h^T Y' A_w, the same routine run with the transposed maps, so every
// backward is a gather (each input element sums the outputs that touch it, in ascending output
// order): one writer per element, deterministic, no atomics needed when ported to CUDA.
#pragma once

#include "runtime/axis_map.h"
#include "runtime/tensor.h"

namespace dforge::cpu {

// out[p] = rows * x[p] * columns^T for every plane p over the last two dims of x and out.
// Requires rows.inputs() == x.size(-2), columns.inputs() == x.size(-1), rows.outputs() ==
// out.size(-2), columns.outputs() == out.size(-1), the same plane count and a floating dtype.
// Sums in double in a fixed order (rows first, then columns); every output element is written
// (zero when it has no taps).
void apply_separable(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out);

// The adjoint: out[p] = rows^T * x[p] * columns, where x has the maps' output sizes and out their
// input sizes.
void apply_separable_transposed(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out);

}  // namespace dforge::cpu
