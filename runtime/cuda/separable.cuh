// Separable linear maps of image planes on the GPU, mirroring runtime/cpu/separable.h: every
// linear op of the pool, resize and pad families is, per plane X, Y = A_h X A_w^T with sparse 1-D
// maps A_h and A_w (AxisMap, built on the host by runtime/separable_maps.h), and its adjoint is the
// same routine with the transposed maps, a gather. The maps are uploaded once per distinct map
// and cached on the device, so a training loop copies nothing to the GPU after its first step.
#pragma once

#include "runtime/axis_map.h"
#include "runtime/tensor.h"

namespace dforge::cuda {

// out[p] = rows * x[p] * columns^T for every plane p over the last two dims (see
// cpu::apply_separable for the requirements). Sums in double in the CPU's order: for each column
// tap, the row taps in order, then the column taps in order.
void apply_separable(const AxisMap& rows, const AxisMap& columns, const Tensor& x, Tensor& out);

// The adjoint: out[p] = rows^T * x[p] * columns.
void apply_separable_transposed(const AxisMap& rows, const AxisMap& columns, const Tensor& x,
                                Tensor& out);

}  // namespace dforge::cuda
