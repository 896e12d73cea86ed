#include "models/defectgan/trainer.h"

#include <cmath>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/grad_mode.h"
#include "autograd/reduce.h"
#include "autograd/shape_ops.h"
#include "layers/gradient_penalty.h"
#include "layers/losses.h"
#include "layers/requires_grad.h"
#include "models/checkpoint_state.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

// Eq. 6-7 for multi-label classes (StarGAN's classification_loss): BCE summed over the K classes,
// averaged over the batch, i.e. -log D_cls(c | x) with independent classes.
Variable class_loss(const Variable& logits, const Variable& labels) {
  return bce_with_logits(logits, labels) * double(logits.size(1));
}

Variable mean_abs(const Variable& x) { return mean(abs(x)); }

}  // namespace

bool DefectganLosses::finite() const {
  for (double value : {d_adv, d_cls, d_gp, d_total, g_adv, g_cls, g_rec, g_sd_cyc, g_sd_con, g_total})
    if (!std::isfinite(value)) return false;
  return true;
}

DefectganTrainer::DefectganTrainer(const DefectganConfig& config, Device device)
    : config_(config),
      device_(device),
      init_generator_(config.seed),
      philox_(config.seed ^ 0x6e6f697365ull) {  // "noise": its own stream, apart from init
  config.validate();
  generator_ = std::make_shared<DefectganGenerator>(config, init_generator_);
  discriminator_ = std::make_shared<DefectganDiscriminator>(config, init_generator_);
  for (Module* network : {static_cast<Module*>(generator_.get()), static_cast<Module*>(discriminator_.get())}) {
    network->to(device);
    network->train(true);
  }
  const AdamOptions adam{.lr = config.lr, .beta1 = config.beta1, .beta2 = config.beta2};
  opt_g_ = std::make_unique<Adam>(generator_->named_parameters(), adam);
  opt_d_ = std::make_unique<Adam>(discriminator_->named_parameters(), adam);
  for (Optimizer* optimizer : {static_cast<Optimizer*>(opt_g_.get()), static_cast<Optimizer*>(opt_d_.get())})
    schedules_.push_back(decay_after_fraction(*optimizer, config.steps, config.decay_from, config.lr_end / config.lr));
}

double DefectganTrainer::learning_rate() const { return opt_g_->groups().front().lr; }

DefectganTrainer::Translation DefectganTrainer::translate(const Variable& x, const Variable& control) {
  GeneratorOutput output = generator_->forward(x, control, random());
  if (!config_.layerwise_composition) return {output.foreground, Variable()};
  return {compose_layers(x, output.foreground, output.map), output.map};
}

DefectganLosses DefectganTrainer::step(const Tensor& normal, const Tensor& defective, const Tensor& labels) {
  const int64_t size = config_.image_size;
  DFORGE_CHECK(normal.ndim() == 4 && normal.size(1) == config_.image_channels && normal.size(2) == size &&
                   normal.size(3) == size,
               "defectgan: normal images must be [N, ", config_.image_channels, ", ", size, ", ", size, "], got ",
               normal.describe());
  DFORGE_CHECK(defective.shape() == normal.shape(), "defectgan: defective images ", defective.describe(),
               " differ in shape from the normal ones ", normal.describe());
  DFORGE_CHECK(labels.ndim() == 2 && labels.size(0) == normal.size(0) && labels.size(1) == config_.classes,
               "defectgan: labels must be [", normal.size(0), ", ", config_.classes, "], got ", labels.describe());
  for (LinearDecaySchedule& schedule : schedules_) schedule.apply(int(steps_done_));
  Variable n(normal.to(device_)), d(defective.to(device_)), c(labels.to(device_).to(DType::f32));
  Variable target_map(control_map(c.data(), size, size));
  Variable normal_map(Tensor::zeros(target_map.shape(), DType::f32, device_));
  // The labels of a two-domain batch [defective; normal]: [c; 0].
  Variable both_labels = cat({c, Variable(Tensor::zeros(c.shape(), DType::f32, device_))}, 0);

  DefectganLosses losses;
  update_discriminator(n, d, both_labels, target_map, normal_map, losses);
  if ((steps_done_ + 1) % config_.n_critic == 0) update_generator(n, d, both_labels, target_map, normal_map, losses);
  ++steps_done_;
  return losses;
}

void DefectganTrainer::update_discriminator(const Variable& n, const Variable& d, const Variable& both_labels,
                                            const Variable& target_map, const Variable& normal_map,
                                            DefectganLosses& losses) {
  Variable fake;
  {
    NoGradGuard no_grad;  // D's loss must not reach G
    fake = cat({translate(n, target_map).image, translate(d, normal_map).image}, 0);
  }
  Variable real = cat({d, n}, 0);
  CriticOutput on_real = discriminator_->forward_both(real);
  CriticOutput on_fake = discriminator_->forward_both(fake);
  Variable adversarial = mean(on_fake.source) - mean(on_real.source);
  Variable classes = class_loss(on_real.classes, both_labels);
  Tensor alpha = random().uniform({real.size(0), 1, 1, 1}, device_);
  Variable penalty = gradient_penalty([&](const Variable& x) { return discriminator_->forward(x); }, real.data(),
                                      fake.data(), alpha);
  Variable total = adversarial + classes * config_.lambda_cls_real + penalty * config_.lambda_gp;
  opt_d_->zero_grad();
  backward(total);
  opt_d_->step();
  losses.d_adv = adversarial.item();
  losses.d_cls = classes.item();
  losses.d_gp = penalty.item();
  losses.d_total = total.item();
}

void DefectganTrainer::update_generator(const Variable& n, const Variable& d, const Variable& both_labels,
                                        const Variable& target_map, const Variable& normal_map,
                                        DefectganLosses& losses) {
  set_requires_grad(*discriminator_, false);
  Translation defaced = translate(n, target_map);               // n -> d'
  Translation restored = translate(defaced.image, normal_map);  // d' -> n^
  Translation repaired = translate(d, normal_map);              // d -> n'
  Translation redefaced = translate(repaired.image, target_map);  // n' -> d^

  CriticOutput on_fake = discriminator_->forward_both(cat({defaced.image, repaired.image}, 0));
  Variable adversarial = -mean(on_fake.source);
  Variable classes = class_loss(on_fake.classes, both_labels);
  Variable reconstruction = l1_loss(restored.image, n) + l1_loss(redefaced.image, d);
  Variable total = adversarial + classes * config_.lambda_cls_fake + reconstruction * config_.lambda_rec;
  if (config_.spatial_constraints) {
    Variable cycle = l1_loss(defaced.map, restored.map) + l1_loss(repaired.map, redefaced.map);
    Variable size = mean_abs(defaced.map) + mean_abs(restored.map) + mean_abs(repaired.map) + mean_abs(redefaced.map);
    total = total + cycle * config_.lambda_sd_cyc + size * config_.lambda_sd_con;
    losses.g_sd_cyc = cycle.item();
    losses.g_sd_con = size.item();
  }
  opt_g_->zero_grad();
  backward(total);
  opt_g_->step();
  set_requires_grad(*discriminator_, true);
  losses.g_adv = adversarial.item();
  losses.g_cls = classes.item();
  losses.g_rec = reconstruction.item();
  losses.g_total = total.item();
  losses.generator_updated = true;
}

NamedTensors DefectganTrainer::networks_state_dict() const {
  NamedTensors tensors;
  append_prefixed(tensors, "G.", generator_->state_dict());
  append_prefixed(tensors, "D.", discriminator_->state_dict());
  return tensors;
}

void DefectganTrainer::load_networks(const NamedTensors& tensors, const std::string& source) {
  generator_->load_state_dict(strip_prefix(tensors, "G."), source + " (G)");
  discriminator_->load_state_dict(strip_prefix(tensors, "D."), source + " (D)");
}

NamedTensors DefectganTrainer::state_dict() const {
  NamedTensors tensors = networks_state_dict();
  append_prefixed(tensors, "optim.G.", opt_g_->state_dict());
  append_prefixed(tensors, "optim.D.", opt_d_->state_dict());
  return tensors;
}

std::map<std::string, std::string> DefectganTrainer::metadata() const {
  return {{"model", "defectgan"},
          {"config", to_json(config_).dump()},
          {"step", std::to_string(steps_done_)},
          {"noise_rng", generator_state(philox_.generator())}};
}

void DefectganTrainer::load(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata,
                            const std::string& source) {
  check_model(metadata, "defectgan", source);
  load_networks(tensors, source);
  opt_g_->load_state_dict(strip_prefix(tensors, "optim.G."), source);
  opt_d_->load_state_dict(strip_prefix(tensors, "optim.D."), source);
  steps_done_ = std::stoll(metadata_field(metadata, "step", "defectgan", source));
  restore_generator_state(philox_.generator(), metadata_field(metadata, "noise_rng", "defectgan", source), source);
}

}  // namespace dforge::models
