// Learning-rate schedules: each sets every group's lr to initial_lr * factor(epoch).
#pragma once

#include "layers/optimizer.h"

namespace dforge {

// CycleGAN's rule: constant for `constant_epochs`, then linear to 0 over `decay_epochs`:
// factor = 1 - max(0, epoch + 1 - constant_epochs) / (decay_epochs + 1).
class LinearDecaySchedule {
 public:
  LinearDecaySchedule(Optimizer& optimizer, int constant_epochs, int decay_epochs);
  double factor(int epoch) const;
  void apply(int epoch);

 private:
  Optimizer& optimizer_;
  int constant_epochs_, decay_epochs_;
};

// StepLR: factor = gamma ^ floor(epoch / step_size).
class StepSchedule {
 public:
  StepSchedule(Optimizer& optimizer, int step_size, double gamma);
  double factor(int epoch) const;
  void apply(int epoch);

 private:
  Optimizer& optimizer_;
  int step_size_;
  double gamma_;
};

}  // namespace dforge
