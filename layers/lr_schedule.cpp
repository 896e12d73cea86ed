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

LinearDecaySchedule::LinearDecaySchedule(Optimizer& optimizer, int constant_epochs, int decay_epochs)
    : optimizer_(optimizer), constant_epochs_(constant_epochs), decay_epochs_(decay_epochs) {
  DFORGE_CHECK(constant_epochs >= 0 && decay_epochs >= 0, "linear decay schedule: negative epoch count (",
               constant_epochs, ", ", decay_epochs, ")");
}

double LinearDecaySchedule::factor(int epoch) const {
  return 1.0 - double(std::max(0, epoch + 1 - constant_epochs_)) / double(decay_epochs_ + 1);
}

void LinearDecaySchedule::apply(int epoch) { scale_groups(optimizer_, factor(epoch)); }

StepSchedule::StepSchedule(Optimizer& optimizer, int step_size, double gamma)
    : optimizer_(optimizer), step_size_(step_size), gamma_(gamma) {
  DFORGE_CHECK(step_size > 0, "step schedule: step size must be positive, got ", step_size);
}

double StepSchedule::factor(int epoch) const { return std::pow(gamma_, double(epoch / step_size_)); }

void StepSchedule::apply(int epoch) { scale_groups(optimizer_, factor(epoch)); }

}  // namespace dforge
