// The seggan training step (models/seggan/trainer.h): losses, the mask weighting's effect, the lr
// schedule, and a checkpoint that resumes bit for bit.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/seggan/trainer.h"
#include "runtime/io/safetensors.h"
#include "runtime/random.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::models;

namespace {

SegganConfig tiny_config() {
  SegganConfig config;
  config.image_channels = 4;
  config.ngf = 4;
  config.ndf = 4;
  config.crop = 16;  // a 4-level U-Net
  config.d_layers = 2;
  config.steps = 4;
  config.decay_from = 0.5;
  config.batch = 2;
  config.pool_size = 2;
  config.seed = 5;
  return config;
}

struct TinyBatch {
  Tensor normal, defective, masks;
};

TinyBatch tiny_batch(uint64_t seed) {
  Generator generator(seed);
  TinyBatch batch{Tensor::empty({2, 4, 16, 16}), Tensor::empty({2, 4, 16, 16}), Tensor::empty({2, 1, 16, 16})};
  runtime::fill_uniform(batch.normal, -1, 1, generator);
  runtime::fill_uniform(batch.defective, -1, 1, generator);
  runtime::fill_bernoulli(batch.masks, 0.2, generator);
  return batch;
}

SegganLosses step(SegganTrainer& trainer, uint64_t seed) {
  TinyBatch batch = tiny_batch(seed);
  return trainer.step(batch.normal, batch.defective, batch.masks);
}

}  // namespace

TEST_CASE("A seggan step gives finite losses and moves all four networks", "[seggan]") {
  SegganTrainer trainer(tiny_config(), Device::cpu());
  // state_dict() shares the parameters' storage: keep copies.
  NamedTensors before = trainer.networks().state_dict();
  for (auto& [name, tensor] : before) tensor = tensor.clone();
  SegganLosses losses = step(trainer, 1);
  CHECK(losses.finite());
  CHECK(losses.g_gan_y > 0);
  CHECK(losses.cycle > 0);
  CHECK(losses.identity > 0);
  CHECK(losses.g_total == Approx(losses.g_gan_y + losses.g_gan_x + losses.cycle + losses.identity).epsilon(1e-5));
  const NamedTensors after = trainer.networks().state_dict();
  for (const char* name : {"G_y.model.model.0.weight", "G_x.model.model.0.weight", "D_y.model.0.weight_orig",
                           "D_x.model.0.weight_orig"}) {
    auto find = [&](const NamedTensors& tensors) {
      for (const auto& [key, tensor] : tensors)
        if (key == name) return tensor.to_vector();
      FAIL("no tensor " << name);
      return std::vector<double>{};
    };
    INFO(name);
    CHECK(find(before) != find(after));
  }
  CHECK(trainer.steps_done() == 1);
}

TEST_CASE("With an empty mask and lambda_clip 0, D_y's patches all weigh 0", "[seggan]") {
  // Paper 000 eq. 3-4: w = max(lambda_clip, fraction) = 0 everywhere, so D_y's terms vanish.
  SegganTrainer trainer(tiny_config(), Device::cpu());
  TinyBatch batch = tiny_batch(2);
  SegganLosses losses = trainer.step(batch.normal, batch.defective, Tensor::zeros({2, 1, 16, 16}));
  CHECK(losses.g_gan_y == 0.0);
  CHECK(losses.d_y == 0.0);
  CHECK(losses.g_gan_x > 0.0);

  SegganConfig unweighted = tiny_config();
  unweighted.lambda_clip = 1.0;
  SegganTrainer plain(unweighted, Device::cpu());
  CHECK(plain.step(batch.normal, batch.defective, Tensor::zeros({2, 1, 16, 16})).g_gan_y > 0.0);
}

TEST_CASE("The lr is constant, then decays linearly to 0 (CycleGAN's rule, in steps)", "[seggan]") {
  SegganTrainer trainer(tiny_config(), Device::cpu());  // 4 steps, decay from step 2
  std::vector<double> rates;
  for (uint64_t s = 0; s < 4; ++s) {
    step(trainer, s);
    rates.push_back(trainer.learning_rate());
  }
  CHECK(rates[0] == Approx(2e-4));
  CHECK(rates[1] == Approx(2e-4));
  CHECK(rates[2] == Approx(2e-4 * 2.0 / 3.0));
  CHECK(rates[3] == Approx(2e-4 * 1.0 / 3.0));
}

TEST_CASE("A NaN input gives non-finite losses (the run stops on them)", "[seggan]") {
  SegganTrainer trainer(tiny_config(), Device::cpu());
  TinyBatch batch = tiny_batch(3);
  batch.normal.data<float>()[5] = std::nanf("");
  CHECK_FALSE(trainer.step(batch.normal, batch.defective, batch.masks).finite());
}

TEST_CASE("A seggan checkpoint resumes bit for bit on the CPU", "[seggan]") {
  testing::TemporaryDirectory directory;
  SegganConfig config = tiny_config();
  SegganTrainer straight(config, Device::cpu());
  for (uint64_t s = 0; s < 4; ++s) step(straight, s);

  SegganTrainer first(config, Device::cpu());
  for (uint64_t s = 0; s < 2; ++s) step(first, s);
  const std::string path = directory.file("checkpoint.safetensors");
  io::save_safetensors(path, first.state_dict(), first.metadata());

  config.seed = 99;  // the initial weights do not matter: everything comes from the checkpoint
  SegganTrainer resumed(config, Device::cpu());
  io::TensorFile file = io::load_safetensors(path);
  resumed.load(file.tensors, file.metadata, path);
  CHECK(resumed.steps_done() == 2);
  for (uint64_t s = 2; s < 4; ++s) step(resumed, s);

  const NamedTensors expected = straight.state_dict(), actual = resumed.state_dict();
  REQUIRE(expected.size() == actual.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO(expected[i].first);
    REQUIRE(actual[i].first == expected[i].first);
    CHECK(actual[i].second.to_vector() == expected[i].second.to_vector());
  }
}
