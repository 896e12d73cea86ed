// Learning-rate schedules: each sets every group's lr to initial_lr * factor(epoch).
#pragma once

#include "layers/optimizer.h"

namespace dforge {

// CycleGAN's rule: constant for `constant_epochs`, then linear towards end_factor (0 in CycleGAN)
// over `decay_epochs`:
// factor = 1 - (1 - end_factor) max(0, epoch + 1 - constant_epochs) / (decay_epochs + 1).
class LinearDecaySchedule {
 public:
  LinearDecaySchedule(Optimizer& optimizer, int constant_epochs, int decay_epochs, double end_factor = 0.0);
  double factor(int epoch) const;
  void apply(int epoch);

 private:
  Optimizer& optimizer_;
  int constant_epochs_, decay_epochs_;
  double end_factor_;
};

// The schedule of a run of `steps` steps whose lr stays constant for the first decay_from of them
// (rounded to a whole step), then falls linearly towards end_factor times the initial lr.
LinearDecaySchedule decay_after_fraction(Optimizer& optimizer, int64_t steps, double decay_from,
                                         double end_factor = 0.0);

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
