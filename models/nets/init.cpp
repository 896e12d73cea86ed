// init_cyclegan_weights: N(0, gain) weights, N(1, gain) norm scales, zero biases.
#include "models/nets/init.h"

#include "layers/init.h"

namespace dforge::models {

namespace {
bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

void init_cyclegan_weights(Module& module, Generator& generator, double gain) {
  for (const auto& [name, parameter] : module.named_parameters()) {
    if (ends_with(name, "bias")) {
      init::constant(parameter, 0.0);
    } else if (parameter.ndim() >= 2) {
      init::normal(parameter, 0.0, gain, generator);
    } else {
      init::normal(parameter, 1.0, gain, generator);
    }
  }
}

}  // namespace dforge::models
