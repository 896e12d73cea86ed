// SegganTrainer: one training step of seggan (paper 000, eq. 3-6), and everything a checkpoint
// must hold to continue it bit for bit (networks, the four optimizers, the image pools and their
// random stream, the step count).
//
// A step, in the order of the reference CycleGAN implementation:
//   forward   fake_y = G_y([x, s])   rec_x = G_x(fake_y)   fake_x = G_x(y)   rec_y = G_y([fake_x, s])
//   G update  LSGAN(D_y(fake_y) -> 1, weighted by w(s)) + LSGAN(D_x(fake_x) -> 1)
//             + lambda_cycle (|rec_x - x| + |rec_y - y|)
//             + lambda_cycle lambda_identity (|G_y([y, s]) - y| + |G_x(x) - x|)
//             (discriminators frozen), then G_y's and G_x's optimizers step;
//   D update  D_y: 0.5 (LSGAN(D_y(y) -> 1, w(s)) + LSGAN(D_y(pooled fake_y) -> 0, its w)),
//             D_x: 0.5 (LSGAN(D_x(x) -> 1) + LSGAN(D_x(pooled fake_x) -> 0)), each optimizer steps.
// x: defect-free images, y: defective images, s: y's defect masks -- "in each training step, the
// segmentation mask of the sample y is used" (paper 000, Sec. III) -- so G_y learns to paint the
// defect of y where s says, and w(s) is the patch weighting of mask_weight.h.
#pragma once

#include <memory>

#include "layers/lr_schedule.h"
#include "layers/optimizer.h"
#include "models/seggan/config.h"
#include "models/seggan/image_pool.h"
#include "models/seggan/networks.h"

namespace dforge::models {

struct SegganLosses {
  double g_gan_y = 0, g_gan_x = 0, cycle = 0, identity = 0, g_total = 0, d_y = 0, d_x = 0;
  bool finite() const;
};

// The images of the last step, for sample grids (detached, in [-1, 1]; masks in [0, 1]).
struct SegganVisuals {
  Tensor normal, mask, fake_y, rec_x, defective, fake_x, rec_y;
};

class SegganTrainer {
 public:
  SegganTrainer(const SegganConfig& config, Device device);

  // normal, defective: [N, C, H, W] in [-1, 1]; masks: [N, 1, H, W] of the defective images.
  // CPU tensors are moved to the trainer's device. Applies the lr of the current step first.
  SegganLosses step(const Tensor& normal, const Tensor& defective, const Tensor& masks);

  int64_t steps_done() const { return steps_done_; }
  const SegganConfig& config() const { return config_; }
  SegganNetworks& networks() { return networks_; }
  const SegganVisuals& visuals() const { return visuals_; }
  Device device() const { return device_; }
  double learning_rate() const;

  // Networks ("G_y." ...), optimizer states ("optim.G_y." ...) and pools ("pool.y." ...), on the
  // CPU; the metadata holds the config, the step and the pools' random stream.
  NamedTensors state_dict() const;
  std::map<std::string, std::string> metadata() const;
  // Restores a state saved by state_dict()/metadata(); the architecture in the metadata must match
  // this trainer's config (the schedule may differ: a run can be extended).
  void load(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata,
            const std::string& source);

 private:
  SegganLosses update_generators(const Variable& normal, const Variable& defective, const Variable& masks,
                                 const Variable& weights);
  void update_discriminators(const Variable& normal, const Variable& defective, const Variable& weights,
                             SegganLosses& losses);

  SegganConfig config_;
  Device device_;
  Generator init_generator_, pool_generator_;
  SegganNetworks networks_;
  std::unique_ptr<Optimizer> opt_g_y_, opt_g_x_, opt_d_y_, opt_d_x_;
  std::vector<LinearDecaySchedule> schedules_;
  ImagePool pool_y_, pool_x_;
  int64_t steps_done_ = 0;
  SegganVisuals visuals_;
};

}  // namespace dforge::models
