#include "tests/parity/defectgan_cases.h"

#include "models/checkpoint_state.h"
#include "models/defectgan/trainer.h"
#include "runtime/error.h"

namespace dforge::parity {
namespace {

// PyTorch's draws, handed out in order; a draw of another shape than the one asked for means the
// two steps take their random numbers in a different order, and fails the case.
class ReplayedRandomness : public models::StepRandomness {
 public:
  explicit ReplayedRandomness(const io::TensorFile& in) : in_(in) {}
  Tensor normal(const Shape& shape, Device device) override { return next(shape, device); }
  Tensor uniform(const Shape& shape, Device device) override { return next(shape, device); }
  int64_t used() const { return used_; }

 private:
  Tensor next(const Shape& shape, Device device) {
    const std::string name = "draw" + std::to_string(used_++);
    DFORGE_CHECK(in_.contains(name), "defectgan_step: the step asked for ", name, " ", shape_str(shape),
                 " but PyTorch drew only ", used_ - 1);
    Tensor draw = in_.get(name);
    DFORGE_CHECK(draw.shape() == shape, "defectgan_step: ", name, " is ", draw.describe(),
                 " in PyTorch but the step asked for ", shape_str(shape));
    return draw.to(device);
  }
  const io::TensorFile& in_;
  int64_t used_ = 0;
};

}  // namespace

NamedTensors run_defectgan_step_case(const io::TensorFile& in, const nlohmann::json& config) {
  models::DefectganTrainer trainer(models::defectgan_config_from_json(config.at("defectgan")), Device::cpu());
  trainer.load_networks(models::strip_prefix(in.tensors, "state."), in.path);
  auto replayed = std::make_shared<ReplayedRandomness>(in);
  trainer.replace_randomness(replayed);
  NamedTensors out;
  const int steps = config.at("steps");
  for (int k = 0; k < steps; ++k) {
    const std::string index = std::to_string(k);
    models::DefectganLosses l =
        trainer.step(in.get("normal" + index), in.get("defective" + index), in.get("labels" + index));
    out.emplace_back("losses" + index,
                     Tensor::from_values({l.d_adv, l.d_cls, l.d_gp, l.d_total, l.g_adv, l.g_cls, l.g_rec, l.g_sd_cyc,
                                          l.g_sd_con, l.g_total},
                                         {10}, DType::f64));
  }
  for (auto& [name, tensor] : trainer.networks_state_dict()) out.emplace_back("state." + name, tensor);
  out.emplace_back("draws_used", Tensor::from_values({double(replayed->used())}, {1}, DType::f64));
  return out;
}

}  // namespace dforge::parity
