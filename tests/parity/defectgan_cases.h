// The defectgan case of parity_driver ("defectgan_step"), compared with a PyTorch re-implementation
// of the same training step by tests/parity/test_defectgan_step.py.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/io/safetensors.h"

namespace dforge::parity {

// Config: {"defectgan": <DefectganConfig JSON>, "steps": K}. Inputs: the networks' state under
// "state.G." and "state.D.", per step k "normal<k>", "defective<k>", "labels<k>", and PyTorch's
// random draws "draw0", "draw1", ... (noise maps and alphas, in the order the step takes them),
// which replace the Philox stream. Runs K DefectganTrainer steps on the CPU. Outputs: "losses<k>"
// f64 [10] (d_adv, d_cls, d_gp, d_total, g_adv, g_cls, g_rec, g_sd_cyc, g_sd_con, g_total), the
// final state under "state.", and "draws_used" (how many draws the steps took).
NamedTensors run_defectgan_step_case(const io::TensorFile& in, const nlohmann::json& config);

}  // namespace dforge::parity
