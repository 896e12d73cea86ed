// The backward engine. backward() accumulates d(outputs)/d(leaf) into every leaf's .grad;
// grad() returns d(outputs)/d(inputs) without touching any .grad. With create_graph the backward
// functions record themselves, so the returned gradients can be differentiated again (WGAN-GP, R1).
#pragma once

#include "autograd/variable.h"

namespace dforge {

// `grad_outputs` may be empty when every output has one element (the gradient is then 1).
void backward(const VariableList& outputs, const VariableList& grad_outputs = {}, bool create_graph = false);
inline void backward(const Variable& output, bool create_graph = false) { backward(VariableList{output}, {}, create_graph); }

// Gradients of `outputs` with respect to `inputs`, in the order of `inputs`. An input the outputs
// do not depend on is an error, unless allow_unused (it then gets an undefined Variable).
VariableList grad(const VariableList& outputs, const VariableList& inputs, const VariableList& grad_outputs = {},
                  bool create_graph = false, bool allow_unused = false);

}  // namespace dforge
