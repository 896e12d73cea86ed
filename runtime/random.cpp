#include "runtime/random.h"

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {
void fill(Tensor& tensor, Distribution distribution, double a, double b, Generator& generator, const char* op) {
  check_same_device(op, tensor);
  DFORGE_CHECK(is_floating(tensor.dtype()), op, ": needs a floating tensor, got ", tensor.describe());
  const uint64_t draw = generator.next_draw();
  DFORGE_ROUTE(tensor.device(), fill_random, tensor, distribution, a, b, generator.seed(), draw);
}
}  // namespace

void fill_uniform(Tensor& tensor, double low, double high, Generator& generator) {
  DFORGE_CHECK(low <= high, "uniform: low ", low, " is above high ", high);
  fill(tensor, Distribution::uniform, low, high, generator, "uniform");
}

void fill_normal(Tensor& tensor, double mean, double stddev, Generator& generator) {
  DFORGE_CHECK(stddev >= 0, "normal: negative standard deviation ", stddev);
  fill(tensor, Distribution::normal, mean, stddev, generator, "normal");
}

void fill_bernoulli(Tensor& tensor, double p, Generator& generator) {
  DFORGE_CHECK(p >= 0 && p <= 1, "bernoulli: probability ", p, " is outside [0, 1]");
  fill(tensor, Distribution::bernoulli, p, 0, generator, "bernoulli");
}

}  // namespace dforge::runtime
