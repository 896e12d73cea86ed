// CPU normalisation kernels. Each group (one index of the kept axes) is handled by one thread in a
// fixed row-major order: two passes for the statistics (mean, then the sum of squared deviations,
// which is stable where E[x^2] - E[x]^2 is not) and one to write, which applies the per-channel
// affine too. The backward makes one pass for sum(dy) and sum(dy * xhat), recomputing xhat from x
// exactly as the forward did, and one to write dx; the weight and bias gradients fold those group
// sums per channel on one thread, in group order.
// Two layouts:
// - Kept axes after the last normalised one are contiguous in memory; they form "lanes" that are
//   processed side by side in blocks with double accumulators, so normalising over channels (axis 1
//   of NCHW) reads whole rows instead of striding through memory once per pixel.
// - No such axes (instance norm, batch norm): every group is a set of contiguous rows. Rows are
//   summed by chunked_sums: kVectorLanes partial sums in T side by side (SIMD registers) over a
//   chunk of kChunk elements, then the chunk's partials carried into a double in lane order. The
//   order is fixed by the shape alone, so results are deterministic; a float partial sums at most
//   kChunk / kVectorLanes terms, so its rounding error stays near 64 ulp before the double carry.
#include "runtime/norm.h"

#include <algorithm>
#include <cmath>

namespace dforge::cpu {

namespace {

constexpr int64_t kParallelThreshold = 32768;  // below this, thread start-up costs more than it saves
constexpr int64_t kLaneBlock = 64;             // lanes processed together by one thread
constexpr int64_t kVectorLanes = 16;           // partial sums side by side: two AVX registers of float
constexpr int64_t kChunk = 1024;               // elements summed in T before the carry into double

// x seen as [outer kept dims] x [normalised dims] interleaved, followed by `lanes` contiguous kept
// elements. Adjacent dims of one kind are merged and dims of size 1 dropped, so the common cases
// (instance norm, batch norm) become one or two long contiguous loops.
struct NormLayout {
  std::vector<int64_t> outer_sizes, outer_strides;      // kept dims before the last normalised axis
  std::vector<int64_t> reduced_sizes, reduced_strides;  // normalised dims, outer to inner
  int64_t lanes = 1;        // elements of the kept dims after the last normalised axis
  int64_t outer_count = 1;  // groups = outer_count * lanes
  int64_t count = 1;        // elements per group

  NormLayout(const Shape& shape, const std::vector<int>& axes) {
    const Shape strides = contiguous_strides(shape);
    const int last_axis = axes.back();
    for (int d = last_axis + 1; d < int(shape.size()); ++d) lanes *= shape[d];
    enum class Kind { none, kept, reduced } previous = Kind::none;
    for (int d = 0; d <= last_axis; ++d) {
      if (shape[d] == 1) continue;
      const bool reduced = std::binary_search(axes.begin(), axes.end(), d);
      const Kind kind = reduced ? Kind::reduced : Kind::kept;
      std::vector<int64_t>& sizes = reduced ? reduced_sizes : outer_sizes;
      std::vector<int64_t>& dim_strides = reduced ? reduced_strides : outer_strides;
      if (kind == previous) {  // contiguous with the dim before: merge
        sizes.back() *= shape[d];
        dim_strides.back() = strides[d];
      } else {
        sizes.push_back(shape[d]);
        dim_strides.push_back(strides[d]);
      }
      previous = kind;
      (reduced ? count : outer_count) *= shape[d];
    }
    if (reduced_sizes.empty()) {  // every normalised dim has size 1: one element per group
      reduced_sizes.push_back(1);
      reduced_strides.push_back(0);
    }
  }

  int64_t outer_offset(int64_t outer) const {
    int64_t offset = 0;
    for (int d = int(outer_sizes.size()) - 1; d >= 0; --d) {
      offset += (outer % outer_sizes[d]) * outer_strides[d];
      outer /= outer_sizes[d];
    }
    return offset;
  }

  // Calls visit(offset) for every element of the group starting at `base`, in row-major order.
  template <typename Visit>
  void for_each_in_group(int64_t base, Visit&& visit) const {
    const int last = int(reduced_sizes.size()) - 1;
    const int64_t inner = reduced_sizes[last], inner_stride = reduced_strides[last];
    for (int64_t row = 0; row < count / inner; ++row) {
      int64_t offset = base, rest = row;
      for (int d = last - 1; d >= 0; --d) {
        offset += (rest % reduced_sizes[d]) * reduced_strides[d];
        rest /= reduced_sizes[d];
      }
      for (int64_t i = 0; i < inner; ++i) visit(offset + i * inner_stride);
    }
  }

  // Calls visit(offset, length) for every run of `length` contiguous elements of the group starting
  // at `base`, in row-major order. Requires lanes == 1 (so the innermost normalised dim is the last
  // dim of the tensor, stride 1).
  template <typename Visit>
  void for_each_row(int64_t base, Visit&& visit) const {
    const int last = int(reduced_sizes.size()) - 1;
    const int64_t inner = reduced_sizes[last];
    for (int64_t row = 0; row < count / inner; ++row) {
      int64_t offset = base, rest = row;
      for (int d = last - 1; d >= 0; --d) {
        offset += (rest % reduced_sizes[d]) * reduced_strides[d];
        rest /= reduced_sizes[d];
      }
      visit(offset, inner);
    }
  }

  bool has_contiguous_rows() const { return lanes == 1 && reduced_strides.back() == 1; }

  int64_t lane_blocks() const { return (lanes + kLaneBlock - 1) / kLaneBlock; }
};

// Calls work(base, first_group, width) for every block of up to kLaneBlock groups that share
// their outer index; `base` is the offset of the block's first element, `first_group` the flat
// index of its first group in the statistics tensors.
template <typename Work>
void for_each_block(const NormLayout& layout, int64_t elements, Work&& work) {
  const int64_t blocks = layout.lane_blocks();
  const int64_t items = layout.outer_count * blocks;
#pragma omp parallel for if (elements > kParallelThreshold && items > 1)
  for (int64_t item = 0; item < items; ++item) {
    const int64_t outer = item / blocks, first_lane = (item % blocks) * kLaneBlock;
    const int64_t width = std::min(kLaneBlock, layout.lanes - first_lane);
    work(layout.outer_offset(outer) + first_lane, outer * layout.lanes + first_lane, width);
  }
}

// The sums over i in [0, length) of first(i) and of second(i), in the fixed order described at the
// top of the file, added to `totals`. Both terms return T.
template <typename T, typename First, typename Second>
void chunked_sums(int64_t length, First&& first, Second&& second, double totals[2]) {
  for (int64_t start = 0; start < length; start += kChunk) {
    const int64_t end = std::min(length, start + kChunk);
    T first_partial[kVectorLanes] = {}, second_partial[kVectorLanes] = {};
    int64_t i = start;
    for (; i + kVectorLanes <= end; i += kVectorLanes) {
      for (int64_t lane = 0; lane < kVectorLanes; ++lane) {
        first_partial[lane] += first(i + lane);
        second_partial[lane] += second(i + lane);
      }
    }
    double first_chunk = 0, second_chunk = 0;
    for (int64_t lane = 0; lane < kVectorLanes; ++lane) {
      first_chunk += double(first_partial[lane]);
      second_chunk += double(second_partial[lane]);
    }
    for (; i < end; ++i) {
      first_chunk += double(first(i));
      second_chunk += double(second(i));
    }
    totals[0] += first_chunk;
    totals[1] += second_chunk;
  }
}

// The sum over i in [0, length) of term(i), in the same fixed order.
template <typename T, typename Term>
double chunked_sum(int64_t length, Term&& term) {
  double totals[2] = {};
  chunked_sums<T>(length, term, [](int64_t) { return T(0); }, totals);  // the zero term compiles away
  return totals[0];
}

// The per-channel affine of a group: weight[c] and bias[c] (1 and 0 when undefined).
template <typename T>
struct GroupAffine {
  const T *weight, *bias;
  runtime::ChannelOfGroup mapping;

  T gain(int64_t group) const { return weight ? weight[mapping(group)] : T(1); }
  T offset(int64_t group) const { return bias ? bias[mapping(group)] : T(0); }
};

template <typename T>
GroupAffine<T> group_affine(const Tensor& x, const std::vector<int>& axes, const Tensor& weight, const Tensor& bias) {
  return {weight.defined() ? weight.data<T>() : nullptr, bias.defined() ? bias.data<T>() : nullptr,
          runtime::channel_of_group(x.shape(), axes)};
}

// The forward's write: y = (x - mean) * rstd * weight + bias, the product rounded before the bias is
// added, exactly as the separate mul and add ops rounded it before the affine was fused here, so
// the forward's bits did not change. -march=native would otherwise contract the two into one FMA,
// and a pre-ReLU value within rounding of 0 may then change sides (and with it a gradient), as one
// parity case (tests/parity/test_inspect.py, autoencoder_train in f32) showed. Only these two
// functions are compiled without contraction; the statistics keep their code generation.
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
template <typename T>
void write_affine_row(const T* source, T* target, int64_t length, T shift, T scale, T gain, T offset) {
  for (int64_t i = 0; i < length; ++i) {
    const T normalized = (source[i] - shift) * scale;
    target[i] = normalized * gain + offset;
  }
}

// The same for `width` side-by-side lanes, each with its own statistics and affine.
template <typename T>
void write_affine_lanes(const T* source, T* target, int64_t width, const T* shift, const T* scale, const T* gain,
                        const T* offset) {
  for (int64_t lane = 0; lane < width; ++lane) {
    const T normalized = (source[lane] - shift[lane]) * scale[lane];
    target[lane] = normalized * gain[lane] + offset[lane];
  }
}
#pragma GCC pop_options

// normalize_forward for groups of contiguous rows (see the top of the file).
template <typename T>
void normalize_rows_forward(const NormLayout& layout, int64_t elements, double eps, const GroupAffine<T>& affine,
                            const T* in, T* out, T* mean_out, T* var_out, T* rstd_out) {
  const double count = double(layout.count);
  for_each_block(layout, elements, [&](int64_t base, int64_t group, int64_t /*width = 1*/) {
    double total = 0;
    layout.for_each_row(base, [&](int64_t offset, int64_t length) {
      const T* row = in + offset;
      total += chunked_sum<T>(length, [row](int64_t i) { return row[i]; });
    });
    const double average = total / count;
    const T shift = T(average);
    double squares = 0;
    layout.for_each_row(base, [&](int64_t offset, int64_t length) {
      const T* row = in + offset;
      squares += chunked_sum<T>(length, [row, shift](int64_t i) {
        const T deviation = row[i] - shift;
        return deviation * deviation;
      });
    });
    const double variance = squares / count;  // biased, as normalisation layers use
    const double inverse_std = 1.0 / std::sqrt(variance + eps);
    mean_out[group] = T(average);
    var_out[group] = T(variance);
    rstd_out[group] = T(inverse_std);
    const T scale = T(inverse_std), gain = affine.gain(group), offset_value = affine.offset(group);
    layout.for_each_row(base, [&](int64_t offset, int64_t length) {
      write_affine_row(in + offset, out + offset, length, shift, scale, gain, offset_value);
    });
  });
}

// normalize_backward for groups of contiguous rows: one pass for both sums (xhat recomputed from
// x, as the forward computed it), one to write. When group_sums is given, the group's sums go to
// group_sums[2 group + {0, 1}].
template <typename T>
void normalize_rows_backward(const NormLayout& layout, int64_t elements, const GroupAffine<T>& affine,
                             const T* dy, const T* x, const T* mean, const T* inverse_std, T* dx,
                             double* group_sums) {
  const double count = double(layout.count);
  for_each_block(layout, elements, [&](int64_t base, int64_t group, int64_t /*width = 1*/) {
    const T shift = mean[group], scale = inverse_std[group];
    double totals[2] = {};  // sum(dy), sum(dy * xhat)
    layout.for_each_row(base, [&](int64_t offset, int64_t length) {
      const T *gradient = dy + offset, *source = x + offset;
      auto projection = [gradient, source, shift, scale](int64_t i) {
        return gradient[i] * ((source[i] - shift) * scale);
      };
      chunked_sums<T>(length, [gradient](int64_t i) { return gradient[i]; }, projection, totals);
    });
    if (group_sums) {
      group_sums[2 * group] = totals[0];
      group_sums[2 * group + 1] = totals[1];
    }
    if (!dx) return;
    const T gradient_mean = T(totals[0] / count), projection_mean = T(totals[1] / count);
    const T input_scale = scale * affine.gain(group);
    layout.for_each_row(base, [&](int64_t offset, int64_t length) {
      const T *gradient = dy + offset, *source = x + offset;
      T* target = dx + offset;
      for (int64_t i = 0; i < length; ++i) {
        const T normalized = (source[i] - shift) * scale;
        target[i] = input_scale * (gradient[i] - gradient_mean - normalized * projection_mean);
      }
    });
  });
}

// dweight[c] = sum(dy * xhat), dbias[c] = sum(dy): the sums of the groups of channel c (all groups
// when there is one channel), added in double in increasing group order.
template <typename T>
void fold_channel_sums(const std::vector<double>& group_sums, const runtime::ChannelOfGroup& mapping, T* grad_weight,
                       T* grad_bias) {
  const int64_t groups = int64_t(group_sums.size()) / 2;
  const int64_t groups_per_outer = mapping.channels * mapping.stride;  // 0 only when there are no groups
  const int64_t outer_count = groups_per_outer > 0 ? groups / groups_per_outer : 0;
  for (int64_t channel = 0; channel < mapping.channels; ++channel) {
    double weight_total = 0, bias_total = 0;
    for (int64_t outer = 0; outer < outer_count; ++outer) {
      for (int64_t inner = 0; inner < mapping.stride; ++inner) {
        const int64_t group = (outer * mapping.channels + channel) * mapping.stride + inner;
        bias_total += group_sums[size_t(2 * group)];
        weight_total += group_sums[size_t(2 * group + 1)];
      }
    }
    if (grad_weight) grad_weight[channel] = T(weight_total);
    if (grad_bias) grad_bias[channel] = T(bias_total);
  }
}

}  // namespace

void normalize_forward(const Tensor& x, const std::vector<int>& axes, double eps, const Tensor& weight,
                       const Tensor& bias, Tensor& output, Tensor& mean, Tensor& var, Tensor& rstd) {
  dispatch_floating(x.dtype(), "normalize_forward", [&]<typename T>() {
    const T* in = x.data<T>();
    T* out = output.data<T>();
    T* mean_out = mean.data<T>();
    T* var_out = var.data<T>();
    T* rstd_out = rstd.data<T>();
    const GroupAffine<T> affine = group_affine<T>(x, axes, weight, bias);
    const NormLayout layout(x.shape(), axes);
    if (layout.has_contiguous_rows()) {
      normalize_rows_forward(layout, x.numel(), eps, affine, in, out, mean_out, var_out, rstd_out);
      return;
    }
    const double count = double(layout.count);
    for_each_block(layout, x.numel(), [&](int64_t base, int64_t first_group, int64_t width) {
      double totals[kLaneBlock] = {}, squares[kLaneBlock] = {};
      layout.for_each_in_group(base, [&](int64_t offset) {
        for (int64_t lane = 0; lane < width; ++lane) totals[lane] += double(in[offset + lane]);
      });
      double averages[kLaneBlock];
      for (int64_t lane = 0; lane < width; ++lane) averages[lane] = totals[lane] / count;
      layout.for_each_in_group(base, [&](int64_t offset) {
        for (int64_t lane = 0; lane < width; ++lane) {
          const double deviation = double(in[offset + lane]) - averages[lane];
          squares[lane] += deviation * deviation;
        }
      });
      T shift[kLaneBlock], scale[kLaneBlock], gain[kLaneBlock], offset_value[kLaneBlock];
      for (int64_t lane = 0; lane < width; ++lane) {
        const double variance = squares[lane] / count;  // biased, as normalisation layers use
        const double inverse_std = 1.0 / std::sqrt(variance + eps);
        mean_out[first_group + lane] = T(averages[lane]);
        var_out[first_group + lane] = T(variance);
        rstd_out[first_group + lane] = T(inverse_std);
        shift[lane] = T(averages[lane]);
        scale[lane] = T(inverse_std);
        gain[lane] = affine.gain(first_group + lane);
        offset_value[lane] = affine.offset(first_group + lane);
      }
      layout.for_each_in_group(base, [&](int64_t offset) {
        write_affine_lanes(in + offset, out + offset, width, shift, scale, gain, offset_value);
      });
    });
  });
}

// dx = rstd * w * (dy - mean(dy) - xhat * mean(dy * xhat)), from xhat = (x - mean) * rstd and
// y = w * xhat + b with w constant over the group:
//   d mean / dx_i = 1/n,  d rstd / dx_i = -rstd^3 (x_i - mean) / n = -rstd^2 xhat_i / n.
void normalize_backward(const Tensor& grad_output, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                        const std::vector<int>& axes, const Tensor& weight, Tensor& grad_input,
                        Tensor& grad_weight, Tensor& grad_bias) {
  dispatch_floating(x.dtype(), "normalize_backward", [&]<typename T>() {
    const T* dy = grad_output.data<T>();
    const T* source = x.data<T>();
    const T* mean_in = mean.data<T>();
    const T* inverse_std = rstd.data<T>();
    T* dx = grad_input.defined() ? grad_input.data<T>() : nullptr;
    const GroupAffine<T> affine = group_affine<T>(x, axes, weight, Tensor());
    const NormLayout layout(x.shape(), axes);
    const bool per_channel = grad_weight.defined() || grad_bias.defined();
    // Per group: sum(dy), sum(dy * xhat), kept only for the per-channel gradients.
    std::vector<double> group_sums(per_channel ? size_t(2 * layout.outer_count * layout.lanes) : 0);
    double* sums_out = per_channel ? group_sums.data() : nullptr;
    if (layout.has_contiguous_rows()) {
      normalize_rows_backward(layout, x.numel(), affine, dy, source, mean_in, inverse_std, dx, sums_out);
    } else {
      const double count = double(layout.count);
      for_each_block(layout, x.numel(), [&](int64_t base, int64_t first_group, int64_t width) {
        T shift[kLaneBlock], scale[kLaneBlock];
        for (int64_t lane = 0; lane < width; ++lane) {
          shift[lane] = mean_in[first_group + lane];
          scale[lane] = inverse_std[first_group + lane];
        }
        double gradient_totals[kLaneBlock] = {}, projection_totals[kLaneBlock] = {};
        layout.for_each_in_group(base, [&](int64_t offset) {
          for (int64_t lane = 0; lane < width; ++lane) {
            const T normalized = (source[offset + lane] - shift[lane]) * scale[lane];
            gradient_totals[lane] += double(dy[offset + lane]);
            projection_totals[lane] += double(dy[offset + lane]) * double(normalized);
          }
        });
        for (int64_t lane = 0; sums_out && lane < width; ++lane) {
          sums_out[2 * (first_group + lane)] = gradient_totals[lane];
          sums_out[2 * (first_group + lane) + 1] = projection_totals[lane];
        }
        if (!dx) return;
        T gradient_mean[kLaneBlock], projection_mean[kLaneBlock], input_scale[kLaneBlock];
        for (int64_t lane = 0; lane < width; ++lane) {
          gradient_mean[lane] = T(gradient_totals[lane] / count);
          projection_mean[lane] = T(projection_totals[lane] / count);
          input_scale[lane] = scale[lane] * affine.gain(first_group + lane);
        }
        layout.for_each_in_group(base, [&](int64_t offset) {
          for (int64_t lane = 0; lane < width; ++lane) {
            const int64_t i = offset + lane;
            const T normalized = (source[i] - shift[lane]) * scale[lane];
            dx[i] = input_scale[lane] * (dy[i] - gradient_mean[lane] - normalized * projection_mean[lane]);
          }
        });
      });
    }
    if (per_channel) {
      fold_channel_sums(group_sums, affine.mapping, grad_weight.defined() ? grad_weight.data<T>() : nullptr,
                        grad_bias.defined() ? grad_bias.data<T>() : nullptr);
    }
  });
}

}  // namespace dforge::cpu
