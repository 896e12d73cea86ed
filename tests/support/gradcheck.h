// The one finite-difference checker every differentiable op and layer goes through (dlib's
// impl_test_layer idea). Inputs are f64; the output is projected onto a fixed random tensor so
// ops with non-scalar outputs are covered, and every element of every input is perturbed.
#pragma once

#include <functional>
#include <string>

#include "autograd/variable.h"

namespace dforge::testing {

using Function = std::function<Variable(const VariableList&)>;

struct GradcheckResult {
  bool ok = true;
  double worst_error = 0;  // largest |analytic - numeric| / (atol + rtol |numeric|)
  std::string report;      // where the worst element is, with both values
};

// f64 random tensor with values in [low, high), deterministic for `seed`.
Tensor random_tensor(const Shape& shape, uint64_t seed, double low = -1.0, double high = 1.0,
                     DType dtype = DType::f64);

// A leaf f64 Variable that requires grad, holding random_tensor(shape, seed, low, high).
Variable random_input(const Shape& shape, uint64_t seed, double low = -1.0, double high = 1.0);

// Checks d(sum(f(inputs) * w))/d(inputs) against central differences.
GradcheckResult gradcheck(const Function& f, const VariableList& inputs, double eps = 1e-6,
                          double atol = 1e-5, double rtol = 1e-3);

// Checks second-order gradients: differentiates h = sum_i <grad_i, v_i> (the first-order gradients
// computed with create_graph, projected onto random v) and compares with central differences of h.
GradcheckResult gradgradcheck(const Function& f, const VariableList& inputs, double eps = 1e-5,
                              double atol = 1e-4, double rtol = 1e-3);

// CHECK_GRADIENTS on f and CHECK_SECOND_ORDER_GRADIENTS on f(inputs)^2 (the square keeps the
// second derivative of piecewise-linear ops non-zero).
void check_both_orders(const Function& f, const VariableList& inputs);

}  // namespace dforge::testing

// Catch2 helpers: print the report when the check fails.
#define CHECK_GRADIENTS(f, inputs)                                  \
  do {                                                              \
    auto gradcheck_result = ::dforge::testing::gradcheck(f, inputs); \
    INFO(gradcheck_result.report);                                  \
    CHECK(gradcheck_result.ok);                                     \
  } while (0)

#define CHECK_SECOND_ORDER_GRADIENTS(f, inputs)                          \
  do {                                                                   \
    auto gradcheck_result = ::dforge::testing::gradgradcheck(f, inputs); \
    INFO(gradcheck_result.report);                                       \
    CHECK(gradcheck_result.ok);                                          \
  } while (0)
