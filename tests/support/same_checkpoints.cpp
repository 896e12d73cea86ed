#include "tests/support/same_checkpoints.h"

#include <catch2/catch.hpp>

#include "runtime/io/safetensors.h"

namespace dforge::testing {

void check_same_checkpoints(const std::string& a_path, const std::string& b_path) {
  const io::TensorFile a = io::load_safetensors(a_path);
  const io::TensorFile b = io::load_safetensors(b_path);
  REQUIRE(a.tensors.size() == b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    INFO(a.tensors[i].first);
    REQUIRE(a.tensors[i].first == b.tensors[i].first);
    CHECK(a.tensors[i].second.to_vector() == b.tensors[i].second.to_vector());
  }
}

}  // namespace dforge::testing
