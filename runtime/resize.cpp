#include "runtime/resize.h"

#include "runtime/dispatch.h"

namespace dforge {

const char* upsample_mode_name(UpsampleMode mode) {
  switch (mode) {
    case UpsampleMode::nearest: return "nearest";
    case UpsampleMode::bilinear: return "bilinear";
  }
  return "?";
}

}  // namespace dforge

namespace dforge::runtime {

namespace {

void check_image_batch(const char* op, const Tensor& x) {
  check_same_device(op, x);
  DFORGE_CHECK(x.ndim() == 4, op, ": expects a 4-D NCHW tensor, got ", x.describe());
  DFORGE_CHECK(is_floating(x.dtype()), op, ": needs an f32 or f64 tensor, got ", x.describe());
  DFORGE_CHECK(x.size(2) > 0 && x.size(3) > 0, op, ": plane of ", x.describe(), " is empty");
}

void check_mode(const char* op, UpsampleMode mode, bool align_corners) {
  DFORGE_CHECK(mode == UpsampleMode::nearest || mode == UpsampleMode::bilinear, op, ": unknown mode ", int(mode));
  DFORGE_CHECK(mode == UpsampleMode::bilinear || !align_corners, op,
               ": align_corners only applies to bilinear mode, not ", upsample_mode_name(mode));
}

}  // namespace

Tensor upsample(const Tensor& x, int out_h, int out_w, UpsampleMode mode, bool align_corners) {
  check_image_batch("upsample", x);
  check_mode("upsample", mode, align_corners);
  DFORGE_CHECK(out_h >= 1 && out_w >= 1, "upsample: output size ", out_h, "x", out_w, " must be positive (input ",
               x.describe(), ")");
  Tensor out = Tensor::empty({x.size(0), x.size(1), out_h, out_w}, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), upsample, x, mode, align_corners, out);
  return out;
}

Tensor upsample_backward(const Tensor& grad_output, const Shape& input_shape, UpsampleMode mode,
                         bool align_corners) {
  check_image_batch("upsample_backward", grad_output);
  check_mode("upsample_backward", mode, align_corners);
  DFORGE_CHECK(input_shape.size() == 4 && input_shape[0] == grad_output.size(0) &&
                   input_shape[1] == grad_output.size(1) && input_shape[2] > 0 && input_shape[3] > 0,
               "upsample_backward: gradient ", grad_output.describe(), " does not fit the input shape ",
               shape_str(input_shape));
  Tensor grad_input = Tensor::empty(input_shape, grad_output.dtype(), grad_output.device());
  DFORGE_ROUTE(grad_output.device(), upsample_backward, grad_output, mode, align_corners, grad_input);
  return grad_input;
}

}  // namespace dforge::runtime
