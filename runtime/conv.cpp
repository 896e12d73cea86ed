#include "runtime/conv.h"

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {

void check_params(const char* op, const ConvParams& params) {
  DFORGE_CHECK(params.stride >= 1, op, ": stride must be at least 1, got ", params.stride);
  DFORGE_CHECK(params.padding >= 0, op, ": padding must be non-negative, got ", params.padding);
  DFORGE_CHECK(params.dilation >= 1, op, ": dilation must be at least 1, got ", params.dilation);
}

void check_four_dims(const char* op, const char* name, const char* layout, const Shape& shape) {
  DFORGE_CHECK(shape.size() == 4, op, ": ", name, " must be ", layout, ", got ", shape_str(shape));
}

void check_operands(const char* op, const Tensor& x, const Tensor& weight) {
  check_same_device(op, x, weight);
  check_same_dtype(op, x, weight);
  DFORGE_CHECK(is_floating(x.dtype()), op, ": needs f32 or f64 tensors, got ", x.describe());
  DFORGE_CHECK(weight.numel() > 0, op, ": weight ", shape_str(weight.shape()), " is empty");
}

void check_bias(const char* op, const Tensor& bias, const Tensor& x, int64_t channels) {
  if (!bias.defined()) return;
  check_same_device(op, x, bias);
  check_same_dtype(op, x, bias);
  DFORGE_CHECK(bias.shape() == Shape{channels}, op, ": bias ", shape_str(bias.shape()), " does not match the ",
               channels, " output channels (expected [", channels, "])");
}

// The kernel's reach along one axis: dilation (k - 1) + 1.
int64_t extent(int64_t kernel, const ConvParams& params) { return int64_t(params.dilation) * (kernel - 1) + 1; }

}  // namespace

Shape conv2d_output_shape(const Shape& input, const Shape& weight, const ConvParams& params, const char* op) {
  check_params(op, params);
  check_four_dims(op, "input", "[N, C, H, W]", input);
  check_four_dims(op, "weight", "[Cout, Cin, kh, kw]", weight);
  DFORGE_CHECK(input[1] == weight[1], op, ": input has ", input[1], " channels, weight ", shape_str(weight),
               " expects ", weight[1]);
  const int64_t padded_height = input[2] + 2 * params.padding, padded_width = input[3] + 2 * params.padding;
  const int64_t reach_height = extent(weight[2], params), reach_width = extent(weight[3], params);
  DFORGE_CHECK(reach_height <= padded_height && reach_width <= padded_width, op, ": kernel ", weight[2], "x",
               weight[3], " with dilation ", params.dilation, " spans ", reach_height, "x", reach_width,
               ", larger than the input ", input[2], "x", input[3], " padded by ", params.padding, " (input ",
               shape_str(input), ")");
  return {input[0], weight[0], (padded_height - reach_height) / params.stride + 1,
          (padded_width - reach_width) / params.stride + 1};
}

Shape conv_transpose2d_output_shape(const Shape& input, const Shape& weight, const ConvParams& params) {
  const char* op = "conv_transpose2d";
  check_params(op, params);
  DFORGE_CHECK(params.output_padding >= 0 &&
                   (params.output_padding < params.stride || params.output_padding < params.dilation),
               op, ": output_padding ", params.output_padding, " must be non-negative and smaller than stride ",
               params.stride, " or dilation ", params.dilation);
  check_four_dims(op, "input", "[N, C, H, W]", input);
  check_four_dims(op, "weight", "[Cin, Cout, kh, kw]", weight);
  DFORGE_CHECK(input[1] == weight[0], op, ": input has ", input[1], " channels, weight ", shape_str(weight),
               " expects ", weight[0]);
  // The conv2d that this inverts maps H_out back to H: H_out = (H - 1) s - 2 p + reach + output_padding.
  auto size = [&](int64_t in, int64_t kernel) {
    return (in - 1) * params.stride - 2 * params.padding + extent(kernel, params) + params.output_padding;
  };
  const int64_t height = size(input[2], weight[2]), width = size(input[3], weight[3]);
  DFORGE_CHECK(height >= 1 && width >= 1, op, ": output would be ", height, "x", width, " for input ",
               shape_str(input), ", weight ", shape_str(weight), " and padding ", params.padding);
  return {input[0], weight[1], height, width};
}

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params) {
  check_operands("conv2d", x, weight);
  DFORGE_CHECK(params.output_padding == 0, "conv2d: output_padding ", params.output_padding,
               " only applies to conv_transpose2d");
  Shape shape = conv2d_output_shape(x.shape(), weight.shape(), params);
  check_bias("conv2d", bias, x, weight.shape()[0]);
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), conv2d, x, weight, bias, params, out);
  return out;
}

namespace {
// conv_transpose2d into a given output shape, validated as "its conv2d with weight gives x's shape".
Tensor transpose_into(const char* op, const Tensor& x, const Tensor& weight, const Tensor& bias,
                      const ConvParams& params, const Shape& output_shape) {
  check_operands(op, x, weight);
  check_four_dims(op, "input", "[N, C, H, W]", x.shape());
  check_four_dims(op, "output shape", "[N, C, H, W]", output_shape);
  check_four_dims(op, "weight", "[Cin, Cout, kh, kw]", weight.shape());
  DFORGE_CHECK(output_shape[0] == x.shape()[0] && output_shape[1] == weight.shape()[1], op, ": output shape ",
               shape_str(output_shape), " needs batch ", x.shape()[0], " and ", weight.shape()[1], " channels (input ",
               shape_str(x.shape()), ", weight ", shape_str(weight.shape()), ")");
  // The transposed weight [Cin, Cout, kh, kw] read as a conv2d weight maps output_shape back to x.
  ConvParams forward = params;
  forward.output_padding = 0;
  Shape image_of_output = conv2d_output_shape(output_shape, weight.shape(), forward, op);
  DFORGE_CHECK(image_of_output == x.shape(), op, ": output shape ", shape_str(output_shape), " convolves to ",
               shape_str(image_of_output), ", not to ", shape_str(x.shape()), " (stride ", params.stride,
               ", padding ", params.padding, ", dilation ", params.dilation, ")");
  check_bias(op, bias, x, weight.shape()[1]);
  Tensor out = Tensor::empty(output_shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), conv_transpose2d, x, weight, bias, params, out);
  return out;
}
}  // namespace

Tensor conv2d_input_grad(const Tensor& grad_output, const Tensor& weight, const Shape& input_shape,
                         const ConvParams& params) {
  return transpose_into("conv2d_input_grad", grad_output, weight, Tensor(), params, input_shape);
}

Tensor conv2d_weight_grad(const Tensor& x, const Tensor& grad_output, const Shape& weight_shape,
                          const ConvParams& params) {
  const char* op = "conv2d_weight_grad";
  check_same_device(op, x, grad_output);
  check_same_dtype(op, x, grad_output);
  DFORGE_CHECK(is_floating(x.dtype()), op, ": needs f32 or f64 tensors, got ", x.describe());
  DFORGE_CHECK(numel_of(weight_shape) > 0, op, ": weight shape ", shape_str(weight_shape), " is empty");
  ConvParams forward = params;
  forward.output_padding = 0;
  Shape expected = conv2d_output_shape(x.shape(), weight_shape, forward, op);
  DFORGE_CHECK(grad_output.shape() == expected, op, ": grad_output ", shape_str(grad_output.shape()),
               " does not match the conv2d output ", shape_str(expected), " of input ", shape_str(x.shape()),
               " and weight ", shape_str(weight_shape));
  Tensor grad_weight = Tensor::empty(weight_shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), conv2d_weight_grad, x, grad_output, params, grad_weight);
  return grad_weight;
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params) {
  check_operands("conv_transpose2d", x, weight);
  Shape shape = conv_transpose2d_output_shape(x.shape(), weight.shape(), params);
  return transpose_into("conv_transpose2d", x, weight, bias, params, shape);
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvParams& params,
                        const Shape& output_shape) {
  return transpose_into("conv_transpose2d", x, weight, bias, params, output_shape);
}

}  // namespace dforge::runtime
