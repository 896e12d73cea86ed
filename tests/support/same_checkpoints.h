// Two checkpoints (safetensors files) compared name for name and bit for bit: how the run tests
// show that a resumed run equals an uninterrupted one.
#pragma once

#include <string>

namespace dforge::testing {

// REQUIREs the same tensor names in the same order, then CHECKs each tensor's values are equal.
void check_same_checkpoints(const std::string& a, const std::string& b);

}  // namespace dforge::testing
