// conv2d, conv_transpose2d and the two conv2d adjoints against small cases computed by hand
// (each expected value is derived in the comment above it), in f32 and f64, plus the shape and
// argument errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/conv.h"
#include "tests/support/compare.h"

using namespace dforge;
using Catch::Contains;
using testing::check_values;
using testing::check_close;

namespace {

const DType kFloatingTypes[] = {DType::f32, DType::f64};

// 1x1x3x3 image     1 2 3
//                   4 5 6
//                   7 8 9
Tensor nine(DType dtype) { return Tensor::from_values({1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 1, 3, 3}, dtype); }
Tensor ones(const Shape& shape, DType dtype) { return Tensor::full(shape, 1.0, dtype); }
ConvParams params(int stride, int padding, int dilation = 1, int output_padding = 0) {
  return {stride, padding, dilation, output_padding};
}

// Deterministic f32 values in [-1, 1], different for each seed.
Tensor testing_values(const Shape& shape, int seed) {
  std::vector<double> values(size_t(numel_of(shape)));
  for (size_t i = 0; i < values.size(); ++i) values[i] = std::sin(double(i) * (0.37 + 0.1 * seed) + seed);
  return Tensor::from_values(values, shape);
}

}  // namespace

TEST_CASE("conv2d of a 3x3 image with a 2x2 kernel of ones", "[conv]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    Tensor x = nine(dtype), w = ones({1, 1, 2, 2}, dtype);
    // Window sums: 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28.
    check_values(runtime::conv2d(x, w, Tensor(), params(1, 0)), {1, 1, 2, 2}, {12, 16, 24, 28}, 1e-5, 1e-5);
    // Stride 2 keeps only the top-left window.
    check_values(runtime::conv2d(x, w, Tensor(), params(2, 0)), {1, 1, 1, 1}, {12}, 1e-5, 1e-5);
    // Padding 1: the 5x5 zero-bordered image, all 16 window sums (e.g. top-left 0+0+0+1 = 1,
    // second row 0+1+0+4 = 5, 1+2+4+5 = 12, ...).
    check_values(runtime::conv2d(x, w, Tensor(), params(1, 1)), {1, 1, 4, 4},
                 {1, 3, 5, 3, 5, 12, 16, 9, 11, 24, 28, 15, 7, 15, 17, 9}, 1e-5, 1e-5);
    // Padding 1, stride 2: windows at padded (0,0), (0,2), (2,0), (2,2): 1, 2+3, 4+7, 5+6+8+9.
    check_values(runtime::conv2d(x, w, Tensor(), params(2, 1)), {1, 1, 2, 2}, {1, 5, 11, 28}, 1e-5, 1e-5);
    // Dilation 2: the taps are the four corners, 1+3+7+9 = 20.
    check_values(runtime::conv2d(x, w, Tensor(), params(1, 0, 2)), {1, 1, 1, 1}, {20}, 1e-5, 1e-5);
    // Dilation 2, padding 1: corners of each 3x3 window of the padded image; centre = 1+3+7+9,
    // edge-middles = 2+8 or 4+6 = 10, corners reach only the 5.
    check_values(runtime::conv2d(x, w, Tensor(), params(1, 1, 2)), {1, 1, 3, 3}, {5, 10, 5, 10, 20, 10, 5, 10, 5}, 1e-5,
                 1e-5);
  }
}

TEST_CASE("conv2d is a cross-correlation: the kernel is not flipped", "[conv]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    Tensor w = Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2}, dtype);
    // 1*1 + 2*2 + 3*4 + 4*5 = 37, 1*2 + 2*3 + 3*5 + 4*6 = 47, 1*4+2*5+3*7+4*8 = 67, 1*5+2*6+3*8+4*9 = 77.
    check_values(runtime::conv2d(nine(dtype), w, Tensor(), params(1, 0)), {1, 1, 2, 2}, {37, 47, 67, 77}, 1e-5, 1e-5);
  }
}

TEST_CASE("conv2d mixes channels and adds the bias", "[conv]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    // Input channel 0 = 1..9, channel 1 = all ones. Output 0 uses ones on channel 0 and tens on
    // channel 1: the window sums 12 16 24 28 plus 4 * 10 = 40. Output 1 uses [[1,2],[3,4]] on
    // channel 0 and zeros on channel 1: 37 47 67 77. Bias adds 0.5 and -1.
    Tensor x = Tensor::from_values({1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 2, 3, 3}, dtype);
    Tensor w = Tensor::from_values({1, 1, 1, 1, 10, 10, 10, 10, 1, 2, 3, 4, 0, 0, 0, 0}, {2, 2, 2, 2}, dtype);
    Tensor bias = Tensor::from_values({0.5, -1}, {2}, dtype);
    check_values(runtime::conv2d(x, w, bias, params(1, 0)), {1, 2, 2, 2}, {52.5, 56.5, 64.5, 68.5, 36, 46, 66, 76},
                 1e-5, 1e-5);
  }
}

TEST_CASE("conv2d with a 1x1 kernel over a batch (the pointwise path)", "[conv]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    // out0 = c0 + 0.5 c1 + 100, out1 = -c0 - 1. Image 0: c0 = 1 2 3 4, c1 = 10 20 30 40 ->
    // out0 = 106 112 118 124, out1 = -2 -3 -4 -5. Image 1: c0 = 0 0 0 1, c1 = 0 ->
    // out0 = 100 100 100 101, out1 = -1 -1 -1 -2.
    Tensor x = Tensor::from_values({1, 2, 3, 4, 10, 20, 30, 40, 0, 0, 0, 1, 0, 0, 0, 0}, {2, 2, 2, 2}, dtype);
    Tensor w = Tensor::from_values({1, 0.5, -1, 0}, {2, 2, 1, 1}, dtype);
    Tensor bias = Tensor::from_values({100, -1}, {2}, dtype);
    check_values(runtime::conv2d(x, w, bias, params(1, 0)), {2, 2, 2, 2},
                 {106, 112, 118, 124, -2, -3, -4, -5, 100, 100, 100, 101, -1, -1, -1, -2}, 1e-5, 1e-5);
  }
}

TEST_CASE("conv2d output sizes for non-square inputs and kernels", "[conv]") {
  // (5 + 2 - 3) / 2 + 1 = 3 and (7 + 2 - 3) / 2 + 1 = 4; a 3x1 kernel at dilation 2 spans 5x1:
  // (6 - 5) / 1 + 1 = 2 and (4 - 1) + 1 = 4.
  CHECK(runtime::conv2d_output_shape({2, 3, 5, 7}, {4, 3, 3, 3}, params(2, 1)) == Shape{2, 4, 3, 4});
  CHECK(runtime::conv2d_output_shape({1, 1, 6, 4}, {1, 1, 3, 1}, params(1, 0, 2)) == Shape{1, 1, 2, 4});
  // k4 s2 p1 (the U-Net up-sampling) doubles the size: (2 - 1) 2 - 2 + 3 + 1 = 4 and
  // (3 - 1) 2 - 2 + 3 + 1 = 6; output_padding 1 adds one to each: 5 and 7.
  CHECK(runtime::conv_transpose2d_output_shape({1, 8, 2, 3}, {8, 4, 4, 4}, params(2, 1)) == Shape{1, 4, 4, 6});
  CHECK(runtime::conv_transpose2d_output_shape({1, 8, 2, 3}, {8, 4, 4, 4}, params(2, 1, 1, 1)) == Shape{1, 4, 5, 7});
}

TEST_CASE("conv_transpose2d spreads each input pixel through the kernel", "[conv]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    Tensor x = Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2}, dtype);
    // Stride 2 with a 2x2 kernel: each input v writes v * [[1,2],[3,4]] into its own 2x2 block.
    Tensor kernel = Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2}, dtype);
    check_values(runtime::conv_transpose2d(x, kernel, Tensor(), params(2, 0)), {1, 1, 4, 4},
                 {1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16}, 1e-5, 1e-5);
    // Stride 1 with ones: out[i][j] = sum of x[a][b] for a in {i-1, i}, b in {j-1, j}.
    check_values(runtime::conv_transpose2d(x, ones({1, 1, 2, 2}, dtype), Tensor(), params(1, 0)), {1, 1, 3, 3},
                 {1, 3, 2, 4, 10, 6, 3, 7, 4}, 1e-5, 1e-5);
    // k4 s2 p1 (U-Net): the uncropped 6x6 result has input row a over rows 2a..2a+3; cropping 1
    // leaves rows 1..4 covered by {0}, {0,1}, {0,1}, {1} (same for columns), so e.g. out[1][1] =
    // 1+2+3+4 = 10 and out[0][1] = 1+2 = 3.
    check_values(runtime::conv_transpose2d(x, ones({1, 1, 4, 4}, dtype), Tensor(), params(2, 1)), {1, 1, 4, 4},
                 {1, 3, 3, 2, 4, 10, 10, 6, 4, 10, 10, 6, 3, 7, 7, 4}, 1e-5, 1e-5);
  }
}

TEST_CASE("conv_transpose2d output_padding adds zero rows and columns; bias and channels", "[conv]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    // A single pixel 2 through the 3x3 kernel 1..9 at stride 2: 2 * kernel, and output_padding 1
    // adds a last row and column nobody writes to, which must be 0.
    Tensor pixel = Tensor::from_values({2}, {1, 1, 1, 1}, dtype);
    Tensor kernel = Tensor::from_values({1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 1, 3, 3}, dtype);
    check_values(runtime::conv_transpose2d(pixel, kernel, Tensor(), params(2, 0, 1, 1)), {1, 1, 4, 4},
                 {2, 4, 6, 0, 8, 10, 12, 0, 14, 16, 18, 0, 0, 0, 0, 0}, 1e-5, 1e-5);
    // Weight [Cin=2, Cout=1, 2, 2]: input channel 0 (value 1) goes through [[1,2],[3,4]], channel 1
    // (value 2) through ones: 1 + 2, 2 + 2, 3 + 2, 4 + 2, plus bias 0.5.
    Tensor x = Tensor::from_values({1, 2}, {1, 2, 1, 1}, dtype);
    Tensor w = Tensor::from_values({1, 2, 3, 4, 1, 1, 1, 1}, {2, 1, 2, 2}, dtype);
    Tensor bias = Tensor::from_values({0.5}, {1}, dtype);
    check_values(runtime::conv_transpose2d(x, w, bias, params(1, 0)), {1, 1, 2, 2}, {3.5, 4.5, 5.5, 6.5}, 1e-5, 1e-5);
  }
}

TEST_CASE("conv2d_input_grad reaches every input size of a strided conv2d", "[conv]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    // A 6x6 input, k3 s2, gives a 2x2 output like a 5x5 input does. The adjoint spreads dy through
    // ones: input row r collects output rows {0} for r = 0, 1, {0,1} for r = 2, {1} for r = 3, 4 and
    // none for r = 5 (never read by the conv), e.g. [2][2] = 1+2+3+4 = 10, [0][2] = 1+2 = 3.
    Tensor dy = Tensor::from_values({1, 2, 3, 4}, {1, 1, 2, 2}, dtype);
    check_values(
        runtime::conv2d_input_grad(dy, ones({1, 1, 3, 3}, dtype), {1, 1, 6, 6}, params(2, 0)), {1, 1, 6, 6},
        {1, 1, 3, 2, 2, 0, 1, 1, 3, 2, 2, 0, 4, 4, 10, 6, 6, 0, 3, 3, 7, 4, 4, 0, 3, 3, 7, 4, 4, 0, 0, 0, 0, 0, 0, 0},
        1e-5, 1e-5);
    // The same through the explicit-size conv_transpose2d, with a bias of 1 everywhere.
    Tensor bias = Tensor::from_values({1}, {1}, dtype);
    Tensor sized = runtime::conv_transpose2d(dy, ones({1, 1, 3, 3}, dtype), bias, params(2, 0), {1, 1, 5, 6});
    check_values(sized, {1, 1, 5, 6},
                 {2, 2, 4, 3, 3, 1, 2, 2, 4, 3, 3, 1, 5, 5, 11, 7, 7, 1, 4, 4, 8, 5, 5, 1, 4, 4, 8, 5, 5, 1}, 1e-5,
                 1e-5);
  }
}

TEST_CASE("conv2d_weight_grad correlates the input with the output gradient, summed over the batch", "[conv]") {
  for (DType dtype : kFloatingTypes) {
    INFO(dtype_name(dtype));
    // dW[i][j] = sum_{oh,ow} dy[oh][ow] x[oh+i][ow+j]; with dy = [[1,0],[0,2]] that is
    // x[i][j] + 2 x[i+1][j+1]: 1 + 10, 2 + 12, 4 + 16, 5 + 18.
    Tensor dy = Tensor::from_values({1, 0, 0, 2}, {1, 1, 2, 2}, dtype);
    check_values(runtime::conv2d_weight_grad(nine(dtype), dy, {1, 1, 2, 2}, params(1, 0)), {1, 1, 2, 2},
                 {11, 14, 20, 23}, 1e-5, 1e-5);
    // A second image of ones with dy of ones adds 4 to every tap.
    Tensor x2 = Tensor::from_values({1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {2, 1, 3, 3}, dtype);
    Tensor dy2 = Tensor::from_values({1, 0, 0, 2, 1, 1, 1, 1}, {2, 1, 2, 2}, dtype);
    check_values(runtime::conv2d_weight_grad(x2, dy2, {1, 1, 2, 2}, params(1, 0)), {1, 1, 2, 2}, {15, 18, 24, 27}, 1e-5,
                 1e-5);
    // Stride 2, padding 1 (windows at padded (0,0), (0,2), (2,0), (2,2), see the conv2d test) and
    // dy = [[1,0],[0,1]]: dW = padded window at (0,0) + window at (2,2) = [0+5, 0+6, 0+8, 1+9].
    Tensor dy3 = Tensor::from_values({1, 0, 0, 1}, {1, 1, 2, 2}, dtype);
    check_values(runtime::conv2d_weight_grad(nine(dtype), dy3, {1, 1, 2, 2}, params(2, 1)), {1, 1, 2, 2}, {5, 6, 8, 10},
                 1e-5, 1e-5);
  }
}

TEST_CASE("conv errors name the op and the offending shapes", "[conv]") {
  Tensor x = Tensor::empty({1, 3, 8, 8});
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({64, 4, 4, 4}), Tensor(), {}),
                    "conv2d: input has 3 channels, weight [64, 4, 4, 4] expects 4");
  CHECK_THROWS_WITH(runtime::conv2d(Tensor::empty({1, 3, 8}), Tensor::empty({2, 3, 3, 3}), Tensor(), {}),
                    "conv2d: input must be [N, C, H, W], got [1, 3, 8]");
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({2, 3, 3}), Tensor(), {}),
                    "conv2d: weight must be [Cout, Cin, kh, kw], got [2, 3, 3]");
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({2, 3, 5, 5}), Tensor(), params(1, 0, 3)),
                    Contains("kernel 5x5 with dilation 3 spans 13x13, larger than the input 8x8 padded by 0"));
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({2, 3, 3, 3}), Tensor::empty({3}), {}),
                    "conv2d: bias [3] does not match the 2 output channels (expected [2])");
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({2, 3, 3, 3}), Tensor(), params(0, 0)),
                    "conv2d: stride must be at least 1, got 0");
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({2, 3, 3, 3}), Tensor(), params(1, -1)),
                    "conv2d: padding must be non-negative, got -1");
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({2, 3, 3, 3}), Tensor(), params(1, 0, 0)),
                    "conv2d: dilation must be at least 1, got 0");
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({2, 3, 3, 3}), Tensor(), params(2, 0, 1, 1)),
                    "conv2d: output_padding 1 only applies to conv_transpose2d");
  CHECK_THROWS_WITH(runtime::conv2d(x, Tensor::empty({2, 3, 3, 3}, DType::f64), Tensor(), {}),
                    Contains("conv2d: dtypes differ"));
  CHECK_THROWS_WITH(runtime::conv_transpose2d(x, Tensor::empty({4, 8, 4, 4}), Tensor(), params(2, 1)),
                    "conv_transpose2d: input has 3 channels, weight [4, 8, 4, 4] expects 4");
  CHECK_THROWS_WITH(runtime::conv_transpose2d(x, Tensor::empty({3, 8, 4, 4}), Tensor(), params(2, 1, 1, 2)),
                    "conv_transpose2d: output_padding 2 must be non-negative and smaller than stride 2 or dilation 1");
  CHECK_THROWS_WITH(runtime::conv_transpose2d(Tensor::empty({1, 1, 1, 1}), Tensor::empty({1, 1, 1, 1}), Tensor(),
                                              params(1, 1)),
                    Contains("conv_transpose2d: output would be -1x-1"));
  CHECK_THROWS_WITH(runtime::conv2d_input_grad(Tensor::empty({1, 1, 2, 2}), Tensor::empty({1, 1, 3, 3}),
                                               {1, 1, 8, 8}, params(2, 0)),
                    Contains("conv2d_input_grad: output shape [1, 1, 8, 8] convolves to [1, 1, 3, 3], "
                             "not to [1, 1, 2, 2]"));
  CHECK_THROWS_WITH(runtime::conv2d_weight_grad(Tensor::empty({1, 1, 3, 3}), Tensor::empty({1, 1, 3, 3}),
                                                {1, 1, 2, 2}, {}),
                    Contains("conv2d_weight_grad: grad_output [1, 1, 3, 3] does not match the conv2d "
                             "output [1, 1, 2, 2]"));
  CHECK_THROWS_AS(runtime::conv2d(Tensor::empty({1, 1, 3, 3}, DType::i32), Tensor::empty({1, 1, 2, 2}, DType::i32),
                                  Tensor(), {}),
                  Error);
}

namespace {

// The definition, as direct loops in double: y[n][o][oh][ow] = sum_{c,i,j} w[o][c][i][j] x[n][c][ih][iw]
// with ih = oh s - p + i d, iw = ow s - p + j d. Calls visit(x_index, w_index, y_index) for every
// term; the three conv kernels are this sum read three ways.
template <typename Visit>
void for_each_term(const Shape& x, const Shape& w, const Shape& y, const ConvParams& p, Visit&& visit) {
  for (int64_t n = 0; n < y[0]; ++n)
    for (int64_t o = 0; o < y[1]; ++o)
      for (int64_t oh = 0; oh < y[2]; ++oh)
        for (int64_t ow = 0; ow < y[3]; ++ow)
          for (int64_t c = 0; c < x[1]; ++c)
            for (int64_t i = 0; i < w[2]; ++i)
              for (int64_t j = 0; j < w[3]; ++j) {
                const int64_t ih = oh * p.stride - p.padding + i * p.dilation;
                const int64_t iw = ow * p.stride - p.padding + j * p.dilation;
                if (ih < 0 || ih >= x[2] || iw < 0 || iw >= x[3]) continue;
                visit(((n * x[1] + c) * x[2] + ih) * x[3] + iw, ((o * w[1] + c) * w[2] + i) * w[3] + j,
                      ((n * y[1] + o) * y[2] + oh) * y[3] + ow);
              }
}

// conv2d, its input adjoint (as conv_transpose2d into x's shape) and its weight adjoint against
// for_each_term, in f32, for a conv2d from x_shape with weight w_shape.
// Every element strictly within 1e-4 (1 + |expected|): the largest double below 1e-4 keeps the old "<".
const double kDirectLoopTolerance = std::nextafter(1e-4, 0.0);

void check_against_direct_loops(const Shape& x_shape, const Shape& w_shape, const ConvParams& p) {
  Tensor x = testing_values(x_shape, 1), w = testing_values(w_shape, 2);
  Shape y_shape = runtime::conv2d_output_shape(x_shape, w_shape, p);
  Tensor dy = testing_values(y_shape, 3);
  std::vector<double> xs = x.to_vector(), ws = w.to_vector(), dys = dy.to_vector();
  std::vector<double> y(size_t(numel_of(y_shape)), 0.0), dx(xs.size(), 0.0), dw(ws.size(), 0.0);
  for_each_term(x_shape, w_shape, y_shape, p, [&](int64_t xi, int64_t wi, int64_t yi) {
    y[yi] += ws[wi] * xs[xi];
    dx[xi] += ws[wi] * dys[yi];
    dw[wi] += xs[xi] * dys[yi];
  });
  check_close(runtime::conv2d(x, w, Tensor(), p), y, kDirectLoopTolerance, kDirectLoopTolerance);
  check_close(runtime::conv2d_input_grad(dy, w, x_shape, p), dx, kDirectLoopTolerance, kDirectLoopTolerance);
  check_close(runtime::conv_transpose2d(dy, w, Tensor(), p, x_shape), dx, kDirectLoopTolerance, kDirectLoopTolerance);
  Tensor weight_grad = runtime::conv2d_weight_grad(x, dy, w_shape, p);
  check_close(weight_grad, dw, kDirectLoopTolerance, kDirectLoopTolerance);
  // Deterministic: the same bits again.
  CHECK(runtime::conv2d_weight_grad(x, dy, w_shape, p).to_vector() == weight_grad.to_vector());
}

}  // namespace

TEST_CASE("conv kernels match direct loops on shapes that take the tiled, threaded paths", "[conv]") {
  // 50x47 output pixels x 144 column rows: more than one pixel tile per image (the second starts
  // mid-row), and enough work for the threaded paths.
  SECTION("k3 s1 p1") { check_against_direct_loops({1, 16, 50, 47}, {16, 16, 3, 3}, {1, 1, 1, 0}); }
  SECTION("k3 s2 p2 dilation 2, batch 2") { check_against_direct_loops({2, 8, 45, 39}, {12, 8, 3, 3}, {2, 2, 2, 0}); }
  // The adjoint of a k4 s2 p1 conv2d from 128x128: col2im over several blocks of 8 image channels.
  SECTION("k4 s2 p1 from 128x128") { check_against_direct_loops({1, 8, 128, 128}, {8, 8, 4, 4}, {2, 1, 1, 0}); }
  SECTION("1x1 kernel") { check_against_direct_loops({2, 32, 33, 31}, {24, 32, 1, 1}, {1, 0, 1, 0}); }
}

TEST_CASE("conv kernels with few output channels (the direct-loop path) match direct loops", "[conv]") {
  // A PatchGAN head: one output channel, k4 s1 p1, batch 2, enough work for the threaded path.
  SECTION("1 output channel, k4 s1 p1") { check_against_direct_loops({2, 64, 34, 33}, {1, 64, 4, 4}, {1, 1, 1, 0}); }
  SECTION("3 output channels, k3 s2 p2 dilation 2") {
    check_against_direct_loops({1, 5, 23, 17}, {3, 5, 3, 3}, {2, 2, 2, 0});
  }
  SECTION("4 output channels, k4 s2 p1, batch 3") { check_against_direct_loops({3, 6, 16, 15}, {4, 6, 4, 4}, {2, 1, 1, 0}); }
}
