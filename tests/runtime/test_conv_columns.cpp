// ConvColumns, the per-element im2col and col2im of the CUDA convolutions, run here on the CPU:
// columns built entry by entry through image_offset() and multiplied by the weight must give the
// CPU conv2d, and images gathered pixel by pixel through gather_pixel() must give the CPU
// conv_transpose2d, for strides, paddings, dilations and non-square kernels.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "runtime/conv.h"
#include "runtime/conv_columns.h"

using namespace dforge;

namespace {

Tensor wavy(const Shape& shape, int seed) {
  std::vector<double> values(size_t(numel_of(shape)));
  for (size_t i = 0; i < values.size(); ++i) values[i] = std::sin(double(i) * (0.31 + 0.07 * seed) + seed);
  return Tensor::from_values(values, shape, DType::f64);
}

struct Case {
  int64_t batch, in_channels, out_channels, height, width, kernel_height, kernel_width;
  ConvParams params;
};

const Case kCases[] = {
    {2, 3, 4, 7, 6, 3, 3, {1, 1, 1, 0}},  // same-size 3x3
    {1, 2, 3, 9, 8, 4, 4, {2, 1, 1, 0}},  // the GANs' k4 s2 p1
    {2, 2, 2, 11, 9, 3, 2, {3, 2, 2, 0}},  // stride, padding and dilation together, non-square
    {1, 3, 2, 5, 5, 1, 1, {1, 0, 1, 0}},  // pointwise
    {1, 1, 2, 7, 8, 2, 3, {2, 0, 1, 0}},  // a last row and column the strided windows miss
};

}  // namespace

TEST_CASE("ConvColumns::image_offset: im2col entry by entry gives conv2d", "[runtime][conv_columns]") {
  for (const Case& c : kCases) {
    const Tensor x = wavy({c.batch, c.in_channels, c.height, c.width}, 1);
    const Tensor weight = wavy({c.out_channels, c.in_channels, c.kernel_height, c.kernel_width}, 2);
    const Tensor expected = runtime::conv2d(x, weight, Tensor(), c.params);
    const ConvColumns g(x.shape(), weight.shape(), expected.shape(), c.params);
    const std::vector<double> image = x.to_vector(), w = weight.to_vector(), want = expected.to_vector();
    const int64_t rows = g.column_rows(), cols = g.column_cols();
    double worst = 0;
    for (int64_t n = 0; n < c.batch; ++n) {
      std::vector<double> columns(size_t(rows * cols));
      for (int64_t entry = 0; entry < rows * cols; ++entry) {
        const int64_t offset = g.image_offset(entry);
        columns[entry] = offset >= 0 ? image[n * g.image_size() + offset] : 0.0;
      }
      for (int64_t o = 0; o < c.out_channels; ++o) {
        for (int64_t p = 0; p < cols; ++p) {
          double total = 0;
          for (int64_t r = 0; r < rows; ++r) total += w[o * rows + r] * columns[r * cols + p];
          worst = std::max(worst, std::abs(total - want[(n * c.out_channels + o) * cols + p]));
        }
      }
    }
    INFO("input " << shape_str(x.shape()) << " kernel " << c.kernel_height << "x" << c.kernel_width << " stride "
                  << c.params.stride << " padding " << c.params.padding << " dilation " << c.params.dilation);
    CHECK(worst < 1e-12);
  }
}

TEST_CASE("ConvColumns::gather_pixel: col2im pixel by pixel gives conv_transpose2d", "[runtime][conv_columns]") {
  for (const Case& c : kCases) {
    // The transposed convolution reads c's output side and writes its input side.
    const Shape image_shape = {c.batch, c.in_channels, c.height, c.width};
    const Tensor probe_weight = wavy({c.out_channels, c.in_channels, c.kernel_height, c.kernel_width}, 0);
    const Shape column_side = runtime::conv2d_output_shape(image_shape, probe_weight.shape(), c.params);
    const Tensor x = wavy(column_side, 3);
    const Tensor weight = wavy({c.out_channels, c.in_channels, c.kernel_height, c.kernel_width}, 4);
    const Tensor bias = wavy({c.in_channels}, 5);
    const Tensor expected = runtime::conv_transpose2d(x, weight, bias, c.params, image_shape);
    const ConvColumns g(image_shape, weight.shape(), column_side, c.params);
    const std::vector<double> source = x.to_vector(), w = weight.to_vector(), b = bias.to_vector(),
                              want = expected.to_vector();
    const int64_t rows = g.column_rows(), cols = g.column_cols();
    double worst = 0;
    for (int64_t n = 0; n < c.batch; ++n) {
      // columns = W^T x_n, W read as [Cout_of_conv2d, rows]
      std::vector<double> columns(size_t(rows * cols), 0.0);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t o = 0; o < c.out_channels; ++o)
          for (int64_t p = 0; p < cols; ++p)
            columns[r * cols + p] += w[o * rows + r] * source[(n * c.out_channels + o) * cols + p];
      for (int64_t pixel = 0; pixel < g.image_size(); ++pixel) {
        const double value = g.gather_pixel(columns.data(), b.data(), pixel);
        worst = std::max(worst, std::abs(value - want[n * g.image_size() + pixel]));
      }
    }
    INFO("image " << shape_str(image_shape) << " kernel " << c.kernel_height << "x" << c.kernel_width << " stride "
                  << c.params.stride << " padding " << c.params.padding << " dilation " << c.params.dilation);
    CHECK(worst < 1e-12);
  }
}
