// One step of each AdamRule (Adam with weight decay, RAdam before and after rectification starts),
// with made-up bias corrections: what the optimizer-update tests run a group through.
#pragma once

#include <vector>

#include "runtime/optimizer_update.h"

namespace dforge::testing {

inline std::vector<AdamStep> adam_rule_steps() {
  return {
      {.rule = AdamRule::adam, .lr = 1e-2, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .weight_decay = 0.01,
       .bias_correction1 = 0.19, .bias_correction2 = 0.001999},
      {.rule = AdamRule::radam_plain, .lr = 1e-3, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
       .bias_correction1 = 0.271, .bias_correction2 = 0.002997},
      {.rule = AdamRule::radam_rectified, .lr = 1e-3, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
       .bias_correction1 = 0.5, .bias_correction2 = 0.006, .rectification = 0.03},
  };
}

}  // namespace dforge::testing
