// CUDA fill, cast and elementwise ops against the CPU: every unary and binary op, broadcasting in
// every direction, odd and empty sizes, f32 and f64.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/elementwise.h"
#include "runtime/fill.h"
#include "tests/cuda/device_compare.h"

using namespace dforge;
using testing::random_input;

namespace {

const std::vector<Shape> kShapes = {{}, {0}, {1}, {7}, {3, 5}, {2, 3, 17}, {4, 1, 33, 9}, {1025}, {65539}};
const DType kFloatTypes[] = {DType::f32, DType::f64};

double tolerance(DType dtype) { return dtype == DType::f32 ? 1e-5 : 1e-12; }

}  // namespace

TEST_CASE("cuda fill and cast agree with the cpu", "[cuda][elementwise]") {
  for (DType dtype : {DType::f32, DType::f64, DType::i32, DType::u8}) {
    for (const Shape& shape : kShapes) {
      CHECK_DEVICES_AGREE(
          "fill " + shape_str(shape),
          [&](const std::vector<Tensor>& in) {
            Tensor tensor = in[0].clone();
            runtime::fill(tensor, 7.0);
            return std::vector<Tensor>{tensor};
          },
          {Tensor::empty(shape, dtype)}, 0.0);
    }
  }
  for (DType from : {DType::f32, DType::f64, DType::i32, DType::u8}) {
    for (DType to : {DType::f32, DType::f64, DType::i32, DType::u8}) {
      const Tensor x = random_input({5, 67}, 11, from, 0.0, 200.0);
      CHECK_DEVICES_AGREE(
          std::string("cast ") + dtype_name(from) + " -> " + dtype_name(to),
          [&](const std::vector<Tensor>& in) { return std::vector<Tensor>{runtime::cast(in[0], to)}; }, {x},
          0.0);
    }
  }
  // Out of the integer range and NaN: saturated and 0 on both devices (runtime/convert_value.h).
  for (DType from : {DType::f32, DType::f64}) {
    const Tensor x = Tensor::from_values({2.9, -2.9, 300.7, std::nan(""), -3e10, 3e10, -1e300, 1e300}, {8}, from);
    for (DType to : {DType::i32, DType::u8}) {
      CHECK_DEVICES_AGREE(
          std::string("cast out of range ") + dtype_name(from) + " -> " + dtype_name(to),
          [&](const std::vector<Tensor>& in) { return std::vector<Tensor>{runtime::cast(in[0], to)}; }, {x},
          0.0);
    }
  }
}

TEST_CASE("cuda unary ops agree with the cpu", "[cuda][elementwise]") {
  using runtime::UnaryOp;
  struct Case {
    UnaryOp op;
    double low, high, a, b;
  };
  const Case cases[] = {
      {UnaryOp::neg, -3, 3, 0, 0},          {UnaryOp::abs, -3, 3, 0, 0},
      {UnaryOp::sign, -3, 3, 0, 0},         {UnaryOp::exp, -5, 5, 0, 0},
      {UnaryOp::log, 0.01, 10, 0, 0},       {UnaryOp::sqrt, 0, 10, 0, 0},
      {UnaryOp::rsqrt, 0.01, 10, 0, 0},     {UnaryOp::tanh, -4, 4, 0, 0},
      {UnaryOp::sigmoid, -30, 30, 0, 0},    {UnaryOp::relu, -3, 3, 0, 0},
      {UnaryOp::leaky_relu, -3, 3, 0.2, 0}, {UnaryOp::pow, 0.01, 4, 2.5, 0},
      {UnaryOp::clamp, -3, 3, -1, 0.5},     {UnaryOp::affine, -3, 3, 1.5, -0.25},
  };
  for (DType dtype : kFloatTypes) {
    for (const Case& c : cases) {
      for (const Shape& shape : kShapes) {
        const Tensor x = random_input(shape, 3, dtype, c.low, c.high);
        CHECK_DEVICES_AGREE(
            concat("unary ", int(c.op), " ", x.describe()),
            [&](const std::vector<Tensor>& in) {
              return std::vector<Tensor>{runtime::unary(c.op, in[0], c.a, c.b)};
            },
            {x}, tolerance(dtype));
      }
    }
  }
}

TEST_CASE("cuda binary ops agree with the cpu, broadcasting included", "[cuda][elementwise]") {
  using runtime::BinaryOp;
  const std::vector<std::pair<Shape, Shape>> pairs = {
      {{}, {}},         {{3, 5}, {3, 5}},         {{3, 5}, {5}},
      {{5}, {3, 5}},    {{2, 1, 4}, {3, 1}},      {{}, {4, 4}},
      {{0, 3}, {3}},    {{4097}, {4097}},         {{2, 3, 4, 5}, {1, 3, 1, 5}},
      {{7, 1}, {1, 9}}, {{2, 3, 33}, {2, 1, 33}}, {{1, 1, 1}, {6, 1, 3}},
  };
  const BinaryOp ops[] = {BinaryOp::add,     BinaryOp::sub,     BinaryOp::mul, BinaryOp::div,
                          BinaryOp::maximum, BinaryOp::minimum, BinaryOp::eq,  BinaryOp::ne,
                          BinaryOp::lt,      BinaryOp::le,      BinaryOp::gt,  BinaryOp::ge};
  for (DType dtype : kFloatTypes) {
    for (BinaryOp op : ops) {
      for (const auto& [left, right] : pairs) {
        // Small integers make the comparisons see ties; division gets a divisor away from zero.
        const bool compare = op >= BinaryOp::eq;
        const Tensor x = random_input(left, 5, DType::f64, compare ? -3 : -2, compare ? 3 : 2);
        const Tensor y = random_input(right, 6, DType::f64, op == BinaryOp::div ? 0.5 : -3, compare ? 3 : 2);
        const std::vector<Tensor> inputs = {
            compare ? runtime::cast(runtime::cast(x, DType::i32), dtype) : runtime::cast(x, dtype),
            compare ? runtime::cast(runtime::cast(y, DType::i32), dtype) : runtime::cast(y, dtype)};
        CHECK_DEVICES_AGREE(
            concat("binary ", int(op), " ", shape_str(left), " ", shape_str(right), " ", dtype_name(dtype)),
            [&](const std::vector<Tensor>& in) {
              return std::vector<Tensor>{runtime::binary(op, in[0], in[1])};
            },
            inputs, tolerance(dtype));
      }
    }
  }
}

TEST_CASE("cuda where, broadcast_to and add_in_place agree with the cpu", "[cuda][elementwise]") {
  for (DType dtype : kFloatTypes) {
    const Tensor condition =
        runtime::cast(runtime::cast(random_input({4, 1, 6}, 1, DType::f64, 0, 2), DType::i32), dtype);
    const Tensor x = random_input({3, 1}, 2, dtype), y = random_input({6}, 3, dtype);
    CHECK_DEVICES_AGREE(
        "where",
        [](const std::vector<Tensor>& in) {
          return std::vector<Tensor>{runtime::where(in[0], in[1], in[2])};
        },
        {condition, x, y}, 0.0);
    const Tensor same = random_input({1000}, 4, dtype), other = random_input({1000}, 5, dtype);
    const Tensor same_condition =
        runtime::cast(runtime::cast(random_input({1000}, 6, DType::f64, 0, 2), DType::i32), dtype);
    CHECK_DEVICES_AGREE(
        "where, same shapes",
        [](const std::vector<Tensor>& in) {
          return std::vector<Tensor>{runtime::where(in[0], in[1], in[2])};
        },
        {same_condition, same, other}, 0.0);
    for (const Shape& shape : kShapes) {
      const Tensor target = random_input(shape, 7, dtype), source = random_input(shape, 8, dtype);
      CHECK_DEVICES_AGREE(
          "add_in_place " + shape_str(shape),
          [](const std::vector<Tensor>& in) {
            Tensor accumulated = in[0].clone();
            runtime::add_in_place(accumulated, in[1], -0.75);
            return std::vector<Tensor>{accumulated};
          },
          {target, source}, tolerance(dtype));
    }
  }
  for (DType dtype : {DType::f32, DType::f64, DType::i32, DType::u8}) {
    const std::vector<std::pair<Shape, Shape>> cases = {{{3}, {4, 3}}, {{4, 1}, {4, 5}},
                                                        {{}, {2, 3}},  {{2, 1, 3}, {2, 7, 3}},
                                                        {{1}, {0}},    {{5, 1, 1}, {2, 5, 3, 3}}};
    for (const auto& [from, to] : cases) {
      const Tensor x = random_input(from, 9, dtype, 0, 100);
      CHECK_DEVICES_AGREE(
          "broadcast_to " + shape_str(from) + " -> " + shape_str(to),
          [&](const std::vector<Tensor>& in) {
            return std::vector<Tensor>{runtime::broadcast_to(in[0], to)};
          },
          {x}, 0.0);
    }
  }
}

TEST_CASE("cuda leaky_relu_backward agrees with the cpu", "[cuda][elementwise]") {
  for (DType dtype : kFloatTypes) {
    for (const Shape& shape : kShapes) {
      const Tensor gradient = random_input(shape, 9, dtype), x = random_input(shape, 10, dtype);
      CHECK_DEVICES_AGREE(
          "leaky_relu_backward " + shape_str(shape),
          [](const std::vector<Tensor>& in) {
            return std::vector<Tensor>{runtime::leaky_relu_backward(in[0], in[1], 0.2)};
          },
          {gradient, x}, 0.0);
    }
  }
}
