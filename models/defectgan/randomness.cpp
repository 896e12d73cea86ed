#include "models/defectgan/randomness.h"

namespace dforge::models {

Tensor PhiloxRandomness::normal(const Shape& shape, Device device) {
  Tensor tensor = Tensor::empty(shape, DType::f32, device);
  runtime::fill_normal(tensor, 0.0, 1.0, generator_);
  return tensor;
}

Tensor PhiloxRandomness::uniform(const Shape& shape, Device device) {
  Tensor tensor = Tensor::empty(shape, DType::f32, device);
  runtime::fill_uniform(tensor, 0.0, 1.0, generator_);
  return tensor;
}

}  // namespace dforge::models
