// Dropout and the gradient reversal layer: two ops whose backward is a fixed scaling of the
// incoming gradient.
#pragma once

#include "autograd/variable.h"
#include "runtime/random.h"

namespace dforge {

// Training: zeroes each element with probability p and scales the rest by 1/(1-p) (inverted
// dropout, as PyTorch). Eval, or p = 0: returns x unchanged.
Variable dropout(const Variable& x, double p, bool training, Generator& generator);

// Identity forward, -lambda * gradient backward (Ganin & Lempitsky 2015; papers 001 and 003 put
// it in front of a real-vs-synthetic head so the features forget where an image came from).
Variable gradient_reversal(const Variable& x, double lambda);

}  // namespace dforge
