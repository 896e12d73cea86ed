#include "tests/parity/seggan_cases.h"

#include "models/seggan/networks.h"
#include "models/seggan/trainer.h"

namespace dforge::parity {

NamedTensors run_seggan_step_case(const io::TensorFile& in, const nlohmann::json& config) {
  models::SegganTrainer trainer(models::seggan_config_from_json(config.at("seggan")), Device::cpu());
  trainer.networks().load_state_dict(models::strip_prefix(in.tensors, "state."), in.path);
  NamedTensors out;
  const int steps = config.at("steps");
  for (int k = 0; k < steps; ++k) {
    const std::string index = std::to_string(k);
    models::SegganLosses l =
        trainer.step(in.get("normal" + index), in.get("defective" + index), in.get("masks" + index));
    out.emplace_back("losses" + index, Tensor::from_values({l.g_gan_y, l.g_gan_x, l.cycle, l.identity, l.g_total,
                                                            l.d_y, l.d_x},
                                                           {7}, DType::f64));
  }
  for (auto& [name, tensor] : trainer.networks().state_dict()) out.emplace_back("state." + name, tensor);
  return out;
}

}  // namespace dforge::parity
