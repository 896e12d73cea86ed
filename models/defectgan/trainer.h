// DefectganTrainer: one training step of Defect-GAN (paper 003, Sec. 3.1 eq. 1-12 and Sec. 4.1),
// and everything a checkpoint must hold to continue it bit for bit (both networks, both Adam
// states, the random stream of the noise and of WGAN-GP's alpha, the step count).
//
// With n the normal batch, d the defective batch, c its labels [N, K] (multi-hot), A(c) the
// control map (c repeated spatially) and A(0) the map of "no defect":
//   translate(x, A): f, m = G(x, A); x (1 - m) + f m                               (eq. 1-4)
//   D update, every step (StarGAN's critic, over both domains at once [I]):
//     real = [d, n] labelled [c, 0];  fake = [translate(n, A(c)), translate(d, A(0))] (no grad)
//     L_D = -mean D_src(real) + mean D_src(fake) + lambda_cls_real L_cls(D_cls(real), [c, 0])
//           + lambda_gp GP(real, fake)                                              (eq. 5-6, 11)
//   G update, every n_critic-th step, after D's (D frozen):
//     d' = translate(n, A(c)), n^ = translate(d', A(0)); n' = translate(d, A(0)), d^ = translate(n', A(c))
//     L_G = -mean D_src([d', n']) + lambda_cls_fake L_cls(D_cls([d', n']), [c, 0])    (eq. 5, 7)
//           + lambda_rec (|n - n^| + |d - d^|)                                       (eq. 8)
//           + lambda_sd_cyc (|m_d' - m_n^| + |m_n' - m_d^|)                          (eq. 9)
//           + lambda_sd_con (|m_d'| + |m_n^| + |m_n'| + |m_d^|)                      (eq. 10, 12)
// L_cls is StarGAN's multi-label BCE: summed over the K classes, averaged over the batch.
// Random numbers are drawn in this order: D's two translations, alpha, then G's four translations.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "layers/lr_schedule.h"
#include "layers/optimizer.h"
#include "models/defectgan/config.h"
#include "models/defectgan/networks.h"
#include "models/defectgan/randomness.h"

namespace dforge::models {

struct DefectganLosses {
  double d_adv = 0, d_cls = 0, d_gp = 0, d_total = 0;  // every step
  // Only on steps that update G (generator_updated); 0 otherwise.
  double g_adv = 0, g_cls = 0, g_rec = 0, g_sd_cyc = 0, g_sd_con = 0, g_total = 0;
  bool generator_updated = false;
  bool finite() const;
};

class DefectganTrainer {
 public:
  DefectganTrainer(const DefectganConfig& config, Device device);

  // normal, defective: [N, C, H, W] in [-1, 1]; labels: [N, K] in {0, 1}, the defective images'
  // categories and the targets of the defacement. CPU tensors are moved to the trainer's device.
  DefectganLosses step(const Tensor& normal, const Tensor& defective, const Tensor& labels);

  int64_t steps_done() const { return steps_done_; }
  // The lr of the coming step: config.lr, then linear to config.lr_end after decay_from of the steps.
  double learning_rate() const;
  const DefectganConfig& config() const { return config_; }
  Device device() const { return device_; }
  DefectganGenerator& generator() { return *generator_; }
  DefectganDiscriminator& discriminator() { return *discriminator_; }
  // Networks ("G.", "D."), optimizer states ("optim.G.", "optim.D."), on the CPU; the metadata holds
  // the config, the step and the random stream.
  NamedTensors networks_state_dict() const;
  void load_networks(const NamedTensors& tensors, const std::string& source);
  NamedTensors state_dict() const;
  std::map<std::string, std::string> metadata() const;
  void load(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata,
            const std::string& source);

  // Tests only: take the noise and alpha from `randomness` instead of the Philox stream.
  void replace_randomness(std::shared_ptr<StepRandomness> randomness) { replaced_ = std::move(randomness); }

 private:
  struct Translation {
    Variable image, map;  // map undefined without layer-wise composition
  };
  Translation translate(const Variable& x, const Variable& control);
  StepRandomness& random() { return replaced_ ? *replaced_ : philox_; }
  void update_discriminator(const Variable& normal, const Variable& defective, const Variable& both_labels,
                            const Variable& target_map, const Variable& normal_map, DefectganLosses& losses);
  void update_generator(const Variable& normal, const Variable& defective, const Variable& both_labels,
                        const Variable& target_map, const Variable& normal_map, DefectganLosses& losses);

  DefectganConfig config_;
  Device device_;
  Generator init_generator_;
  PhiloxRandomness philox_;
  std::shared_ptr<StepRandomness> replaced_;
  std::shared_ptr<DefectganGenerator> generator_;
  std::shared_ptr<DefectganDiscriminator> discriminator_;
  std::unique_ptr<Adam> opt_g_, opt_d_;
  std::vector<LinearDecaySchedule> schedules_;
  int64_t steps_done_ = 0;
};

}  // namespace dforge::models
