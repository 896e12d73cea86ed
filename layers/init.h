// Weight initialisation, in place, with PyTorch's fan rules: for a weight of shape [a, b, k...],
// fan_in = b * prod(k), fan_out = a * prod(k).
#pragma once

#include "autograd/variable.h"
#include "runtime/random.h"

namespace dforge::init {

void constant(const Variable& parameter, double value);
void normal(const Variable& parameter, double mean, double stddev, Generator& generator);
void uniform(const Variable& parameter, double low, double high, Generator& generator);
// Glorot: std = gain * sqrt(2 / (fan_in + fan_out)); uniform bound = sqrt(3) * std.
void xavier_normal(const Variable& parameter, double gain, Generator& generator);
void xavier_uniform(const Variable& parameter, double gain, Generator& generator);
// He, fan_in mode, leaky-ReLU gain sqrt(2 / (1 + a^2)); a = 0 is plain ReLU.
void kaiming_normal(const Variable& parameter, double a, Generator& generator);
void kaiming_uniform(const Variable& parameter, double a, Generator& generator);

int64_t fan_in(const Shape& shape);
int64_t fan_out(const Shape& shape);

}  // namespace dforge::init
