#include "layers/lr_schedule.h"

#include <algorithm>
#include <cmath>

#include "runtime/error.h"

namespace dforge {

namespace {
void scale_groups(Optimizer& optimizer, double factor) {
  for (ParamGroup& group : optimizer.groups()) group.lr = group.initial_lr * factor;
}
}  // namespace

LinearDecaySchedule::LinearDecaySchedule(Optimizer& optimizer, int constant_epochs, int decay_epochs,
                                         double end_factor)
    : optimizer_(optimizer), constant_epochs_(constant_epochs), decay_epochs_(decay_epochs), end_factor_(end_factor) {
  DFORGE_CHECK(constant_epochs >= 0 && decay_epochs >= 0, "linear decay schedule: negative epoch count (",
               constant_epochs, ", ", decay_epochs, ")");
  DFORGE_CHECK(end_factor >= 0.0 && end_factor <= 1.0, "linear decay schedule: end factor ", end_factor,
               " is outside [0, 1]");
}

double LinearDecaySchedule::factor(int epoch) const {
  return 1.0 - (1.0 - end_factor_) * double(std::max(0, epoch + 1 - constant_epochs_)) / double(decay_epochs_ + 1);
}

void LinearDecaySchedule::apply(int epoch) { scale_groups(optimizer_, factor(epoch)); }

LinearDecaySchedule decay_after_fraction(Optimizer& optimizer, int64_t steps, double decay_from, double end_factor) {
  const int64_t start = int64_t(std::llround(decay_from * double(steps)));
  return LinearDecaySchedule(optimizer, int(start), int(steps - start), end_factor);
}

StepSchedule::StepSchedule(Optimizer& optimizer, int step_size, double gamma)
    : optimizer_(optimizer), step_size_(step_size), gamma_(gamma) {
  DFORGE_CHECK(step_size > 0, "step schedule: step size must be positive, got ", step_size);
}

double StepSchedule::factor(int epoch) const { return std::pow(gamma_, double(epoch / step_size_)); }

void StepSchedule::apply(int epoch) { scale_groups(optimizer_, factor(epoch)); }

}  // namespace dforge
