// Activation, dropout, gradient-reversal and identity modules: parameter-free wrappers so they
// can sit in a Sequential at the index PyTorch gives them (which fixes the names of the layers
// after them).
#pragma once

#include "autograd/dropout.h"
#include "autograd/elementwise.h"
#include "layers/module.h"

namespace dforge {

class ReLU : public Module {
 public:
  Variable forward(const Variable& input) override { return relu(input); }
};

class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope_(negative_slope) {}
  Variable forward(const Variable& input) override { return leaky_relu(input, negative_slope_); }

 private:
  double negative_slope_;
};

class Tanh : public Module {
 public:
  Variable forward(const Variable& input) override { return tanh(input); }
};

class Sigmoid : public Module {
 public:
  Variable forward(const Variable& input) override { return sigmoid(input); }
};

class Identity : public Module {
 public:
  Variable forward(const Variable& input) override { return input; }
};

class Dropout : public Module {
 public:
  Dropout(double p, Generator& generator) : p_(p), generator_(generator) {}
  Variable forward(const Variable& input) override { return dropout(input, p_, is_training(), generator_); }

 private:
  double p_;
  Generator& generator_;
};

class GradientReversal : public Module {
 public:
  explicit GradientReversal(double lambda = 1.0) : lambda_(lambda) {}
  Variable forward(const Variable& input) override { return gradient_reversal(input, lambda_); }
  void set_lambda(double lambda) { lambda_ = lambda; }

 private:
  double lambda_;
};

}  // namespace dforge
