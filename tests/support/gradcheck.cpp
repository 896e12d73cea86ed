#include "tests/support/gradcheck.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/grad_mode.h"
#include "autograd/reduce.h"
#include "runtime/error.h"

namespace dforge::testing {

Tensor random_tensor(const Shape& shape, uint64_t seed, double low, double high, DType dtype) {
  std::mt19937_64 generator(seed);
  std::uniform_real_distribution<double> distribution(low, high);
  std::vector<double> values(size_t(numel_of(shape)));
  for (double& value : values) value = distribution(generator);
  return Tensor::from_values(values, shape, dtype);
}

Variable random_input(const Shape& shape, uint64_t seed, double low, double high) {
  return Variable(random_tensor(shape, seed, low, high), true);
}

namespace {

// A scalar that depends on every output element with a distinct weight.
Variable project(const Variable& output, uint64_t seed) {
  Variable weights(random_tensor(output.shape(), seed, 0.5, 1.5));
  return sum(output * weights);
}

double scalar_value(const std::function<Variable()>& scalar) {
  NoGradGuard no_grad;
  return scalar().item();
}

// Compares `analytic[k]` with central differences of `scalar` in every element of every input.
GradcheckResult compare(const std::function<double()>& scalar, const VariableList& inputs,
                        const VariableList& analytic, double eps, double atol, double rtol) {
  GradcheckResult result;
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (!inputs[k].requires_grad()) continue;
    Tensor data = inputs[k].data();
    DFORGE_CHECK(data.dtype() == DType::f64, "gradcheck: input ", k, " must be f64, got ", data.describe());
    double* values = data.data<double>();
    std::vector<double> expected = analytic[k].defined() ? analytic[k].data().to_vector()
                                                         : std::vector<double>(size_t(data.numel()), 0.0);
    for (int64_t i = 0; i < data.numel(); ++i) {
      const double original = values[i];
      values[i] = original + eps;
      const double plus = scalar();
      values[i] = original - eps;
      const double minus = scalar();
      values[i] = original;
      const double numeric = (plus - minus) / (2 * eps);
      const double error = std::fabs(expected[size_t(i)] - numeric) / (atol + rtol * std::fabs(numeric));
      if (!(error <= result.worst_error)) {  // also catches NaN
        result.worst_error = std::isnan(error) ? INFINITY : error;
        result.report = concat("input ", k, " element ", i, ": analytic ", expected[size_t(i)], ", numeric ",
                               numeric, " (error ", error, " of tolerance)");
      }
    }
  }
  result.ok = result.worst_error <= 1.0;
  if (result.report.empty()) result.report = "no input requires grad";
  return result;
}

VariableList requiring_grad(const VariableList& inputs) {
  VariableList wanted;
  for (const Variable& input : inputs) {
    if (input.requires_grad()) wanted.push_back(input);
  }
  return wanted;
}

// Scatters gradients of the inputs that require grad back to one slot per input.
VariableList per_input(const VariableList& inputs, const VariableList& grads) {
  VariableList result(inputs.size());
  size_t next = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (inputs[k].requires_grad()) result[k] = grads[next++];
  }
  return result;
}

}  // namespace

GradcheckResult gradcheck(const Function& f, const VariableList& inputs, double eps, double atol, double rtol) {
  Variable loss = project(f(inputs), 1234);
  VariableList grads = per_input(inputs, grad({loss}, requiring_grad(inputs), {}, false, true));
  auto scalar = [&] { return scalar_value([&] { return project(f(inputs), 1234); }); };
  return compare(scalar, inputs, grads, eps, atol, rtol);
}

GradcheckResult gradgradcheck(const Function& f, const VariableList& inputs, double eps, double atol, double rtol) {
  VariableList wanted = requiring_grad(inputs);
  // h(inputs) = sum_k <d loss / d input_k, v_k>
  auto h = [&](bool create_graph) {
    Variable loss = project(f(inputs), 1234);
    VariableList grads = grad({loss}, wanted, {}, create_graph, true);
    Variable total;
    for (size_t k = 0; k < grads.size(); ++k) {
      if (!grads[k].defined()) continue;
      Variable term = project(grads[k], 5678 + k);
      total = total.defined() ? total + term : term;
    }
    return total;
  };
  Variable second = h(true);
  DFORGE_CHECK(second.defined(), "gradgradcheck: the function has no gradient");
  VariableList analytic(wanted.size());
  if (second.requires_grad()) analytic = grad({second}, wanted, {}, false, true);
  auto scalar = [&] { return h(false).item(); };
  return compare(scalar, inputs, per_input(inputs, analytic), eps, atol, rtol);
}

void check_both_orders(const Function& f, const VariableList& inputs) {
  CHECK_GRADIENTS(f, inputs);
  Function squared = [&](const VariableList& v) {
    Variable y = f(v);
    return y * y;
  };
  CHECK_SECOND_ORDER_GRADIENTS(squared, inputs);
}

}  // namespace dforge::testing
