// The backward engine's bookkeeping of leaf gradients: they accumulate over backward calls, and a
// leaf's .grad never shares memory with another leaf's gradient, with the caller's seed, or with
// anything the graph still holds, even where the engine keeps an incoming gradient without a copy.
#include <catch2/catch.hpp>

#include "autograd/elementwise.h"
#include "autograd/engine.h"
#include "autograd/reduce.h"
#include "autograd/shape_ops.h"

using namespace dforge;

namespace {

Variable leaf(const std::vector<double>& values) {
  return Variable(Tensor::from_values(values, {int64_t(values.size())}), true);
}

std::vector<double> grad_of(const Variable& x) { return x.grad().data().to_vector(); }

}  // namespace

TEST_CASE("leaf gradients accumulate over backward calls", "[autograd][engine]") {
  Variable x = leaf({1, -2, 3});
  backward(sum(x * x));
  CHECK(grad_of(x) == std::vector<double>{2, -4, 6});
  backward(sum(x * 3.0));
  CHECK(grad_of(x) == std::vector<double>{5, -1, 9});
  x.clear_grad();
  backward(sum(x * 3.0));
  CHECK(grad_of(x) == std::vector<double>{3, 3, 3});
}

TEST_CASE("add hands one gradient to both leaves; each leaf gets its own memory", "[autograd][engine]") {
  Variable a = leaf({1, 2}), b = leaf({3, 4});
  Variable seed(Tensor::from_values({10, 20}, {2}));
  backward({a + b}, {seed});
  REQUIRE(grad_of(a) == std::vector<double>{10, 20});
  REQUIRE(grad_of(b) == std::vector<double>{10, 20});
  CHECK_FALSE(a.grad().data().shares_storage(b.grad().data()));
  CHECK_FALSE(a.grad().data().shares_storage(seed.data()));
  CHECK_FALSE(b.grad().data().shares_storage(seed.data()));

  // A second backward adds into a's gradient in place: b's and the seed must not move.
  backward(sum(a * 2.0));
  CHECK(grad_of(a) == std::vector<double>{12, 22});
  CHECK(grad_of(b) == std::vector<double>{10, 20});
  CHECK(seed.data().to_vector() == std::vector<double>{10, 20});
}

TEST_CASE("a leaf's gradient is not a reshape of a gradient the graph hands elsewhere", "[autograd][engine]") {
  // reshape's backward returns a reshape of its incoming gradient (the same memory); here that
  // gradient also reaches a second leaf through cat's split.
  Variable a = leaf({1, 2, 3, 4}), b = leaf({5, 6, 7, 8});
  Variable joined = cat({reshape(a, {2, 2}), reshape(b, {2, 2})}, 0);
  backward(sum(joined * joined));
  CHECK(grad_of(a) == std::vector<double>{2, 4, 6, 8});
  CHECK(grad_of(b) == std::vector<double>{10, 12, 14, 16});
  CHECK_FALSE(a.grad().data().shares_storage(b.grad().data()));

  Variable c = leaf({1, 2});
  Variable twice = reshape(c, {1, 2});  // one gradient to c through two paths: summed, not aliased
  backward(sum(twice * 1.0) + sum(c * 1.0));
  CHECK(grad_of(c) == std::vector<double>{2, 2});
  backward(sum(c * 1.0));
  CHECK(grad_of(c) == std::vector<double>{3, 3});
}

TEST_CASE("a gradient the caller seeds a leaf with is copied, not kept", "[autograd][engine]") {
  Variable x = leaf({1, 2, 3});
  Variable seed(Tensor::from_values({1, 1, 1}, {3}));
  backward({x}, {seed});
  backward({x}, {seed});
  CHECK(grad_of(x) == std::vector<double>{2, 2, 2});
  CHECK(seed.data().to_vector() == std::vector<double>{1, 1, 1});
}
