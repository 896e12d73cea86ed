#include "runtime/pad.h"

#include "runtime/dispatch.h"

namespace dforge {

const char* pad_mode_name(PadMode mode) {
  switch (mode) {
    case PadMode::zeros: return "zeros";
    case PadMode::reflect: return "reflect";
    case PadMode::replicate: return "replicate";
  }
  return "?";
}

}  // namespace dforge

namespace dforge::runtime {

namespace {

void check_tensor(const char* op, const Tensor& x) {
  check_same_device(op, x);
  DFORGE_CHECK(x.ndim() >= 2, op, ": needs at least 2 dims (H, W), got ", x.describe());
  DFORGE_CHECK(is_floating(x.dtype()), op, ": needs an f32 or f64 tensor, got ", x.describe());
}

// Validates the paddings of one dim against that dim's unpadded size.
void check_dim(const char* op, PadMode mode, const char* dim, int64_t size, int before, int after,
               const Shape& input_shape) {
  DFORGE_CHECK(before >= 0 && after >= 0, op, ": ", dim, " padding (", before, ", ", after,
               ") is negative; cropping is not supported");
  DFORGE_CHECK(mode == PadMode::zeros || size > 0, op, ": ", pad_mode_name(mode), " padding needs a non-empty ",
               dim, " (input ", shape_str(input_shape), ")");
  DFORGE_CHECK(mode != PadMode::reflect || (before < size && after < size), op, ": reflect padding (", before, ", ",
               after, ") of ", dim, " must be less than its size ", size, " (input ", shape_str(input_shape), ")");
}

void check_paddings(const char* op, PadMode mode, const Shape& input_shape, int left, int right, int top,
                    int bottom) {
  DFORGE_CHECK(mode == PadMode::zeros || mode == PadMode::reflect || mode == PadMode::replicate, op,
               ": unknown mode ", int(mode));
  const size_t ndim = input_shape.size();
  check_dim(op, mode, "height", input_shape[ndim - 2], top, bottom, input_shape);
  check_dim(op, mode, "width", input_shape[ndim - 1], left, right, input_shape);
}

Shape with_plane(Shape shape, int64_t height, int64_t width) {
  shape[shape.size() - 2] = height;
  shape[shape.size() - 1] = width;
  return shape;
}

}  // namespace

Tensor pad2d(const Tensor& x, int left, int right, int top, int bottom, PadMode mode) {
  check_tensor("pad2d", x);
  check_paddings("pad2d", mode, x.shape(), left, right, top, bottom);
  Shape shape = with_plane(x.shape(), x.size(-2) + top + bottom, x.size(-1) + left + right);
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), pad2d, x, left, right, top, bottom, mode, out);
  return out;
}

Tensor pad2d_backward(const Tensor& grad_output, int left, int right, int top, int bottom, PadMode mode) {
  check_tensor("pad2d_backward", grad_output);
  const int64_t height = grad_output.size(-2) - top - bottom, width = grad_output.size(-1) - left - right;
  DFORGE_CHECK(height >= 0 && width >= 0, "pad2d_backward: gradient ", grad_output.describe(),
               " is smaller than the paddings (left ", left, ", right ", right, ", top ", top, ", bottom ", bottom,
               ")");
  Shape shape = with_plane(grad_output.shape(), height, width);
  check_paddings("pad2d_backward", mode, shape, left, right, top, bottom);
  Tensor grad_input = Tensor::empty(shape, grad_output.dtype(), grad_output.device());
  DFORGE_ROUTE(grad_output.device(), pad2d_backward, grad_output, left, right, top, bottom, mode, grad_input);
  return grad_input;
}

}  // namespace dforge::runtime
