#include "runtime/elementwise.h"

#include "runtime/dispatch.h"
#include "runtime/reduce.h"

namespace dforge::runtime {

Tensor unary(UnaryOp op, const Tensor& x, double a, double b) {
  check_same_device("unary", x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), unary, op, x, a, b, out);
  return out;
}

Tensor binary(BinaryOp op, const Tensor& x, const Tensor& y) {
  check_same_device("binary", x, y);
  check_same_dtype("binary", x, y);
  Tensor out = Tensor::empty(broadcast_shapes(x.shape(), y.shape(), "binary op"), x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), binary, op, x, y, out);
  return out;
}

Tensor leaky_relu_backward(const Tensor& grad_output, const Tensor& x, double negative_slope) {
  check_same_device("leaky_relu_backward", grad_output, x);
  check_same_dtype("leaky_relu_backward", grad_output, x);
  DFORGE_CHECK(grad_output.shape() == x.shape(), "leaky_relu_backward: grad_output ", shape_str(grad_output.shape()),
               " and x ", shape_str(x.shape()), " differ");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), leaky_relu_backward, grad_output, x, negative_slope, out);
  return out;
}

Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y) {
  check_same_device("where", condition, x, y);
  check_same_dtype("where", condition, x, y);
  Shape shape = broadcast_shapes(broadcast_shapes(condition.shape(), x.shape(), "where"), y.shape(), "where");
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), where, condition, x, y, out);
  return out;
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  check_same_device("broadcast_to", x);
  if (x.shape() == shape) return x;
  DFORGE_CHECK(broadcast_shapes(x.shape(), shape, "broadcast_to") == shape, "broadcast_to: ",
               shape_str(x.shape()), " does not broadcast to ", shape_str(shape));
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), broadcast_to, x, out);
  return out;
}

Tensor sum_to_shape(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  DFORGE_CHECK(broadcast_shapes(shape, x.shape(), "sum_to_shape") == x.shape(), "sum_to_shape: ",
               shape_str(shape), " does not broadcast to ", shape_str(x.shape()));
  // Sum over the leading dims x has in excess, and over the dims that are 1 in `shape`.
  const int lead = x.ndim() - int(shape.size());
  std::vector<int> axes;
  for (int d = 0; d < x.ndim(); ++d) {
    if (d < lead || (shape[d - lead] == 1 && x.shape()[d] != 1)) axes.push_back(d);
  }
  return sum(x, axes, /*keepdim=*/true).reshape(shape);
}

void add_in_place(Tensor& x, const Tensor& y, double alpha) {
  check_same_device("add_in_place", x, y);
  check_same_dtype("add_in_place", x, y);
  DFORGE_CHECK(x.shape() == y.shape(), "add_in_place: shapes ", shape_str(x.shape()), " and ",
               shape_str(y.shape()), " differ");
  DFORGE_ROUTE(x.device(), add_in_place, x, y, alpha);
}

}  // namespace dforge::runtime
