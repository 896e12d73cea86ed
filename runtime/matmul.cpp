#include "runtime/matmul.h"

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {
// Rows and columns of op(m): the stored shape, swapped when transposed.
struct Operand {
  int64_t rows, columns;
};

Operand operand(const char* op, const char* name, const Tensor& m, bool transpose) {
  DFORGE_CHECK(m.ndim() == 2, op, ": ", name, " must be a 2-d matrix, got ", m.describe());
  if (transpose) return {m.shape()[1], m.shape()[0]};
  return {m.shape()[0], m.shape()[1]};
}

void check_floating(const char* op, const Tensor& x) {
  DFORGE_CHECK(is_floating(x.dtype()), op, ": needs f32 or f64 tensors, got ", x.describe());
}
}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b) {
  check_same_device("matmul", a, b);
  check_same_dtype("matmul", a, b);
  check_floating("matmul", a);
  const Operand left = operand("matmul", "a", a, transpose_a);
  const Operand right = operand("matmul", "b", b, transpose_b);
  DFORGE_CHECK(left.columns == right.rows, "matmul: a ", shape_str(a.shape()), (transpose_a ? " (transposed)" : ""),
               " and b ", shape_str(b.shape()), (transpose_b ? " (transposed)" : ""), " have inner sizes ",
               left.columns, " and ", right.rows);
  Tensor out = Tensor::empty({left.rows, right.columns}, a.dtype(), a.device());
  DFORGE_ROUTE(a.device(), matmul, a, b, transpose_a, transpose_b, out);
  return out;
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  check_same_device("linear", x, weight);
  check_same_dtype("linear", x, weight);
  check_floating("linear", x);
  DFORGE_CHECK(x.ndim() == 2, "linear: input must be [N, in], got ", x.describe());
  DFORGE_CHECK(weight.ndim() == 2, "linear: weight must be [out, in], got ", weight.describe());
  DFORGE_CHECK(x.shape()[1] == weight.shape()[1], "linear: input has ", x.shape()[1], " features, weight ",
               shape_str(weight.shape()), " expects ", weight.shape()[1]);
  if (bias.defined()) {
    check_same_device("linear", x, bias);
    check_same_dtype("linear", x, bias);
    DFORGE_CHECK(bias.shape() == Shape{weight.shape()[0]}, "linear: bias ", shape_str(bias.shape()),
                 " does not match weight ", shape_str(weight.shape()), " (expected [", weight.shape()[0], "])");
  }
  Tensor out = Tensor::empty({x.shape()[0], weight.shape()[0]}, x.dtype(), x.device());
  DFORGE_ROUTE(x.device(), linear, x, weight, bias, out);
  return out;
}

}  // namespace dforge::runtime
