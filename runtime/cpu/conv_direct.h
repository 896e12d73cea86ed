// Convolutions with few channels on the column side (conv2d's output channels, conv_transpose2d's
// input channels), as direct loops instead of im2col + GEMM.
//
// im2col writes (and the GEMM then reads) C kh kw values per output pixel whatever the number of
// output channels; with one output channel (a PatchGAN's last layer) that is 16x more memory
// traffic than the multiply-adds themselves. The direct loops read the image rows in place:
//   conv2d:            y[n,o,oh,ow]  = bias[o] + sum_{c,i,j} w[o,c,i,j] x[n,c,oh s+i d-p, ow s+j d-p]
//   conv_transpose2d:  z[n,c,h,w]    = bias[c] + the same sum read from the image side
//   weight gradient:   dw[o,c,i,j]   = sum_{n,oh,ow} dy[n,o,oh,ow] x[n,c,oh s+i d-p, ow s+j d-p]
// Each output element is summed by one thread in a fixed order (c, i, j; or k, i, j, oh; or n, oh
// with per-column partials), so results are deterministic for any thread count.
#pragma once

#include <cstdint>

#include "runtime/cpu/conv_geometry.h"

namespace dforge::cpu {

// At most this many column-side channels: the direct loops do that many multiply-adds per image
// value read, im2col writes and reads one column value per image value and tap.
constexpr int64_t kDirectMaxColumnChannels = 4;

inline bool prefers_direct_loops(int64_t column_channels) { return column_channels <= kDirectMaxColumnChannels; }

// y [N, Cout, OH, OW] = conv2d(x [N, C, H, W], weight [Cout, C, kh, kw]) + bias (may be null).
template <typename T>
void direct_conv2d(const Geometry& g, int64_t batch, int64_t out_channels, const T* x, const T* weight,
                   const T* bias, T* y);

// image [N, C, H, W] = conv_transpose2d(x [N, K, OH, OW], weight [K, C, kh, kw]) + bias (may be null).
template <typename T>
void direct_conv_transpose2d(const Geometry& g, int64_t batch, int64_t in_channels, const T* x, const T* weight,
                             const T* bias, T* image);

// grad_weight [Cout, C, kh, kw] from x [N, C, H, W] and grad_output [N, Cout, OH, OW].
template <typename T>
void direct_conv2d_weight_grad(const Geometry& g, int64_t batch, int64_t out_channels, const T* x,
                               const T* grad_output, T* grad_weight);

}  // namespace dforge::cpu
