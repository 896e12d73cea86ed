// The seggan case of parity_driver ("seggan_step"), compared with a PyTorch re-implementation of
// the same training step by tests/parity/test_seggan_step.py.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/io/safetensors.h"

namespace dforge::parity {

// Config: {"seggan": <SegganConfig JSON>, "steps": K}. Inputs: the four networks' state under
// "state.G_y." ... "state.D_x.", and per step k "normal<k>", "defective<k>", "masks<k>". Runs K
// SegganTrainer steps on the CPU. Outputs: "losses<k>" f64 [7] (g_gan_y, g_gan_x, cycle, identity,
// g_total, d_y, d_x) and the networks' final state under "state.".
NamedTensors run_seggan_step_case(const io::TensorFile& in, const nlohmann::json& config);

}  // namespace dforge::parity
