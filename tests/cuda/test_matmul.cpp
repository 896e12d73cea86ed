// CUDA matmul and linear (cuBLAS) against the CPU (OpenBLAS): every transpose combination, odd
// and empty sizes (k = 0 too: zeros, or the bias), with and without bias. TF32 is off by default,
// so f32 agrees to 1e-4.
#include <catch2/catch.hpp>

#include "runtime/matmul.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

TEST_CASE("cuda matmul agrees with the cpu", "[cuda][matmul]") {
  const std::vector<std::array<int64_t, 3>> sizes = {{1, 1, 1}, {3, 5, 7}, {64, 33, 300}, {17, 129, 65},
                                                     {4, 0, 3}, {0, 4, 3}, {5, 6, 0}};
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const auto& [m, n, k] : sizes) {
      for (bool transpose_a : {false, true}) {
        for (bool transpose_b : {false, true}) {
          const Tensor a = random_input(transpose_a ? Shape{k, m} : Shape{m, k}, 71, dtype);
          const Tensor b = random_input(transpose_b ? Shape{n, k} : Shape{k, n}, 72, dtype);
          CHECK_DEVICES_AGREE(
              concat("matmul ", m, "x", n, "x", k, " ", transpose_a, transpose_b, " ", dtype_name(dtype)),
              [&](const std::vector<Tensor>& in) {
                return std::vector<Tensor>{runtime::matmul(in[0], in[1], transpose_a, transpose_b)};
              },
              {a, b}, dtype == DType::f32 ? 1e-4 : 1e-12);
        }
      }
    }
  }
}

TEST_CASE("cuda linear agrees with the cpu", "[cuda][matmul]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const auto& [rows, inputs, features] :
         std::vector<std::array<int64_t, 3>>{{1, 3, 2}, {37, 100, 65}, {8, 512, 1}, {4, 0, 3}, {0, 5, 3}}) {
      const Tensor x = random_input({rows, inputs}, 73, dtype),
                   weight = random_input({features, inputs}, 74, dtype);
      const Tensor bias = random_input({features}, 75, dtype);
      CHECK_DEVICES_AGREE(
          concat("linear ", rows, "x", inputs, "->", features),
          [](const std::vector<Tensor>& in) {
            return std::vector<Tensor>{runtime::linear(in[0], in[1], in[2]),
                                       runtime::linear(in[0], in[1], Tensor())};
          },
          {x, weight, bias}, dtype == DType::f32 ? 1e-4 : 1e-12);
    }
  }
}
