#include "models/seggan/trainer.h"

#include <cmath>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/grad_mode.h"
#include "autograd/shape_ops.h"
#include "layers/losses.h"
#include "layers/requires_grad.h"
#include "models/checkpoint_state.h"
#include "models/seggan/mask_weight.h"
#include "runtime/error.h"

namespace dforge::models {
namespace {

std::unique_ptr<Optimizer> make_radam(const Module& network, const SegganConfig& config) {
  AdamOptions options;
  options.lr = config.lr;
  options.beta1 = config.beta1;
  options.beta2 = config.beta2;
  return std::make_unique<RAdam>(network.named_parameters(), options);
}

}  // namespace

bool SegganLosses::finite() const {
  for (double value : {g_gan_y, g_gan_x, cycle, identity, g_total, d_y, d_x})
    if (!std::isfinite(value)) return false;
  return true;
}

SegganTrainer::SegganTrainer(const SegganConfig& config, Device device)
    : config_(config),
      device_(device),
      init_generator_(config.seed),
      pool_generator_(config.seed ^ 0x706f6f6cull),  // "pool": its own stream, apart from init
      networks_(config, init_generator_),
      pool_y_(config.pool_size),
      pool_x_(config.pool_size) {
  networks_.to(device);
  networks_.train(true);
  opt_g_y_ = make_radam(*networks_.g_y, config);
  opt_g_x_ = make_radam(*networks_.g_x, config);
  opt_d_y_ = make_radam(*networks_.d_y, config);
  opt_d_x_ = make_radam(*networks_.d_x, config);
  for (Optimizer* optimizer : {opt_g_y_.get(), opt_g_x_.get(), opt_d_y_.get(), opt_d_x_.get()})
    schedules_.push_back(decay_after_fraction(*optimizer, config.steps, config.decay_from));
}

double SegganTrainer::learning_rate() const { return opt_g_y_->groups().front().lr; }

SegganLosses SegganTrainer::step(const Tensor& normal, const Tensor& defective, const Tensor& masks) {
  DFORGE_CHECK(normal.ndim() == 4 && normal.size(1) == config_.image_channels,
               "seggan: normal images must be [N, ", config_.image_channels, ", H, W], got ", normal.describe());
  DFORGE_CHECK(defective.shape() == normal.shape(), "seggan: defective images ", defective.describe(),
               " differ in shape from the normal ones ", normal.describe());
  DFORGE_CHECK(masks.ndim() == 4 && masks.size(0) == normal.size(0) && masks.size(1) == 1 &&
                   masks.size(2) == normal.size(2) && masks.size(3) == normal.size(3),
               "seggan: masks must be [N, 1, H, W] like the images, got ", masks.describe());
  for (LinearDecaySchedule& schedule : schedules_) schedule.apply(int(steps_done_));

  Variable x(normal.to(device_)), y(defective.to(device_)), s(masks.to(device_));
  Variable weights = patch_mask_weights(s, config_.d_layers, config_.lambda_clip);
  SegganLosses losses = update_generators(x, y, s, weights);
  update_discriminators(x, y, weights, losses);
  ++steps_done_;
  return losses;
}

SegganLosses SegganTrainer::update_generators(const Variable& x, const Variable& y, const Variable& s,
                                              const Variable& weights) {
  Module &g_y = *networks_.g_y, &g_x = *networks_.g_x, &d_y = *networks_.d_y, &d_x = *networks_.d_x;
  set_requires_grad(d_y, false);
  set_requires_grad(d_x, false);

  Variable fake_y = g_y(cat({x, s}, 1));
  Variable rec_x = g_x(fake_y);
  Variable fake_x = g_x(y);
  Variable rec_y = g_y(cat({fake_x, s}, 1));

  SegganLosses losses;
  Variable gan_y = lsgan_loss(d_y(fake_y), 1.0, weights);
  Variable gan_x = lsgan_loss(d_x(fake_x), 1.0);
  Variable cycle = mul(add(l1_loss(rec_x, x), l1_loss(rec_y, y)), constant(config_.lambda_cycle, rec_x));
  Variable total = add(add(gan_y, gan_x), cycle);
  if (config_.lambda_identity > 0) {
    // Identity on the image channels: G_y leaves a defective image alone, G_x a normal one.
    Variable identity = add(l1_loss(g_y(cat({y, s}, 1)), y), l1_loss(g_x(x), x));
    identity = mul(identity, constant(config_.lambda_cycle * config_.lambda_identity, identity));
    losses.identity = identity.item();
    total = add(total, identity);
  }
  opt_g_y_->zero_grad();
  opt_g_x_->zero_grad();
  backward(total);
  opt_g_y_->step();
  opt_g_x_->step();

  losses.g_gan_y = gan_y.item();
  losses.g_gan_x = gan_x.item();
  losses.cycle = cycle.item();
  losses.g_total = total.item();
  set_requires_grad(d_y, true);
  set_requires_grad(d_x, true);
  visuals_ = {x.data(), s.data(), fake_y.data(), rec_x.data(), y.data(), fake_x.data(), rec_y.data()};
  return losses;
}

void SegganTrainer::update_discriminators(const Variable& x, const Variable& y, const Variable& weights,
                                          SegganLosses& losses) {
  Module &d_y = *networks_.d_y, &d_x = *networks_.d_x;
  // The pools hold detached fakes: D's loss must not reach the generators.
  std::vector<Tensor> pooled_y = pool_y_.query({visuals_.fake_y, weights.data()}, pool_generator_);
  std::vector<Tensor> pooled_x = pool_x_.query({visuals_.fake_x}, pool_generator_);

  Variable real_y = lsgan_loss(d_y(y), 1.0, weights);
  Variable fake_y = lsgan_loss(d_y(Variable(pooled_y[0])), 0.0, Variable(pooled_y[1]));
  Variable loss_d_y = mul(add(real_y, fake_y), constant(0.5, real_y));
  Variable real_x = lsgan_loss(d_x(x), 1.0);
  Variable fake_x = lsgan_loss(d_x(Variable(pooled_x[0])), 0.0);
  Variable loss_d_x = mul(add(real_x, fake_x), constant(0.5, real_x));

  opt_d_y_->zero_grad();
  opt_d_x_->zero_grad();
  backward(add(loss_d_y, loss_d_x));  // the two share no parameters: one pass serves both
  opt_d_y_->step();
  opt_d_x_->step();
  losses.d_y = loss_d_y.item();
  losses.d_x = loss_d_x.item();
}

NamedTensors SegganTrainer::state_dict() const {
  NamedTensors tensors;
  append_prefixed(tensors, "", networks_.state_dict());
  append_prefixed(tensors, "optim.G_y.", opt_g_y_->state_dict());
  append_prefixed(tensors, "optim.G_x.", opt_g_x_->state_dict());
  append_prefixed(tensors, "optim.D_y.", opt_d_y_->state_dict());
  append_prefixed(tensors, "optim.D_x.", opt_d_x_->state_dict());
  for (auto& entry : pool_y_.state_dict("pool.y.")) tensors.push_back(std::move(entry));
  for (auto& entry : pool_x_.state_dict("pool.x.")) tensors.push_back(std::move(entry));
  return tensors;
}

std::map<std::string, std::string> SegganTrainer::metadata() const {
  return {{"model", "seggan"},
          {"config", to_json(config_).dump()},
          {"step", std::to_string(steps_done_)},
          {"pool_rng", generator_state(pool_generator_)}};
}

void SegganTrainer::load(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata,
                         const std::string& source) {
  check_model(metadata, "seggan", source);
  networks_.load_state_dict(tensors, source);
  opt_g_y_->load_state_dict(strip_prefix(tensors, "optim.G_y."), source);
  opt_g_x_->load_state_dict(strip_prefix(tensors, "optim.G_x."), source);
  opt_d_y_->load_state_dict(strip_prefix(tensors, "optim.D_y."), source);
  opt_d_x_->load_state_dict(strip_prefix(tensors, "optim.D_x."), source);
  pool_y_.load_state_dict(tensors, "pool.y.", device_);
  pool_x_.load_state_dict(tensors, "pool.x.", device_);
  steps_done_ = std::stoll(metadata_field(metadata, "step", "seggan", source));
  restore_generator_state(pool_generator_, metadata_field(metadata, "pool_rng", "seggan", source), source);
}

}  // namespace dforge::models
