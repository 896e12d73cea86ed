// defectgan (models/defectgan/): the layer-wise composition by hand, the control map, the networks'
// shapes, config validation, the n_critic cadence of the step, and a checkpoint that resumes bit
// for bit. The step's numbers are checked against PyTorch in tests/parity/test_defectgan_step.py.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/defectgan/trainer.h"
#include "runtime/io/safetensors.h"
#include "runtime/random.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::models;

namespace {

DefectganConfig tiny_config() {
  DefectganConfig config;
  config.image_channels = 3;
  config.classes = 2;
  config.image_size = 16;
  config.ngf = 4;
  config.residual_blocks = 1;
  config.spade_hidden = 8;
  config.ndf = 4;
  config.d_layers = 3;  // class head kernel 16 / 8 = 2
  config.n_critic = 2;
  config.batch = 2;
  config.seed = 3;
  return config;
}

struct TinyBatch {
  Tensor normal, defective, labels;
};

TinyBatch tiny_batch(uint64_t seed) {
  Generator generator(seed);
  TinyBatch batch{Tensor::empty({2, 3, 16, 16}), Tensor::empty({2, 3, 16, 16}), Tensor::empty({2, 2})};
  runtime::fill_uniform(batch.normal, -1, 1, generator);
  runtime::fill_uniform(batch.defective, -1, 1, generator);
  runtime::fill_bernoulli(batch.labels, 0.5, generator);
  return batch;
}

DefectganLosses step(DefectganTrainer& trainer, uint64_t seed) {
  TinyBatch batch = tiny_batch(seed);
  return trainer.step(batch.normal, batch.defective, batch.labels);
}

std::vector<double> tensor_named(const NamedTensors& tensors, const std::string& name) {
  for (const auto& [key, tensor] : tensors)
    if (key == name) return tensor.to_vector();
  FAIL("no tensor " << name);
  return {};
}

NamedTensors copied(const NamedTensors& tensors) {
  NamedTensors out;
  for (const auto& [name, tensor] : tensors) out.emplace_back(name, tensor.clone());
  return out;
}

std::string validation_error(DefectganConfig config) {
  try {
    config.validate();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Layer-wise composition is n (1 - m) + f m (paper 003 eq. 2)", "[defectgan]") {
  Variable background(Tensor::from_values({0.5, -0.2}, {2}));
  Variable foreground(Tensor::from_values({-1.0, 0.8}, {2}));
  Variable map(Tensor::from_values({0.25, 1.0}, {2}));
  // 0.5 * 0.75 + (-1) * 0.25 = 0.125;  m = 1 takes the foreground alone.
  std::vector<double> composed = compose_layers(background, foreground, map).data().to_vector();
  CHECK(composed[0] == Approx(0.125));
  CHECK(composed[1] == Approx(0.8));
}

TEST_CASE("The control map repeats each image's labels over every pixel", "[defectgan]") {
  Tensor map = control_map(Tensor::from_values({1, 0, 1, 1}, {2, 2}), 3, 4);
  REQUIRE(map.shape() == Shape{2, 2, 3, 4});
  std::vector<double> values = map.to_vector();
  for (int pixel = 0; pixel < 12; ++pixel) {
    CHECK(values[0 * 12 + pixel] == 1.0);  // image 0, class 0
    CHECK(values[1 * 12 + pixel] == 0.0);  // image 0, class 1
    CHECK(values[2 * 12 + pixel] == 1.0);
    CHECK(values[3 * 12 + pixel] == 1.0);
  }
  CHECK_THROWS_WITH(control_map(Tensor::zeros({2, 2, 1}), 3, 4), Catch::Contains("[N, K]"));
}

TEST_CASE("G outputs a tanh foreground and a sigmoid map; D a patch critic and K class logits", "[defectgan]") {
  DefectganConfig config = tiny_config();
  Generator init(1);
  DefectganGenerator g(config, init);
  DefectganDiscriminator d(config, init);
  TinyBatch batch = tiny_batch(1);
  PhiloxRandomness random(7), other(8);
  Variable control(control_map(batch.labels, 16, 16));
  GeneratorOutput out = g.forward(Variable(batch.normal), control, random);
  REQUIRE(out.foreground.shape() == Shape{2, 3, 16, 16});
  REQUIRE(out.map.shape() == Shape{2, 1, 16, 16});
  for (double v : out.foreground.data().to_vector()) CHECK((v > -1.0 && v < 1.0));
  for (double v : out.map.data().to_vector()) CHECK((v > 0.0 && v < 1.0));
  // Noise scales start at 0: a fresh G gives the same output whatever the noise.
  CHECK(g.forward(Variable(batch.normal), control, other).map.data().to_vector() == out.map.data().to_vector());

  CriticOutput critic = d.forward_both(Variable(batch.normal));
  CHECK(critic.source.shape() == Shape{2, 1, 2, 2});  // 16 / 2^3
  CHECK(critic.classes.shape() == Shape{2, 2});
  CHECK_THROWS_WITH(d.forward_both(Variable(Tensor::zeros({1, 3, 32, 32}))), Catch::Contains("image size"));

  config.layerwise_composition = false;
  config.spatial_constraints = false;
  config.spatial_control = false;
  config.noise_injection = false;
  DefectganGenerator stargan(config, init);  // Table 2, first row: plain StarGAN
  GeneratorOutput plain = stargan.forward(Variable(batch.normal), control, random);
  CHECK(plain.foreground.shape() == Shape{2, 3, 16, 16});
  CHECK_FALSE(plain.map.defined());
}

TEST_CASE("defectgan config errors are one line naming the field and its value", "[defectgan]") {
  DefectganConfig config = tiny_config();
  CHECK(validation_error(config).empty());
  config.ngf = 0;
  CHECK(validation_error(config) == "defectgan: ngf must be positive, got 0");
  config = tiny_config();
  config.image_size = 20;
  CHECK(validation_error(config) == "defectgan: image_size must be a multiple of 2^d_layers = 8, got 20");
  config = tiny_config();
  config.lambda_gp = -1;
  CHECK(validation_error(config) == "defectgan: lambda_gp must be >= 0, got -1");
  config = tiny_config();
  config.layerwise_composition = false;
  CHECK_THAT(validation_error(config), Catch::Contains("spatial_constraints needs layerwise_composition"));
  for (const std::string& message : {validation_error(config)}) CHECK(message.find('\n') == std::string::npos);
  config = tiny_config();
  config.lr_end = 1.0;
  CHECK(validation_error(config) == "defectgan: lr_end must be in [0, lr = 0.0002], got 1");
  config = tiny_config();
  config.class_names = {"hole"};
  CHECK_THAT(validation_error(config), Catch::Contains("1 class_names for"));
  config.class_names.resize(size_t(config.classes), "hole");
  config.class_names.back() = "stain";
  CHECK(config.class_of("stain") == config.classes - 1);
  CHECK_THROWS_WITH(config.class_of("bubble"), Catch::Contains("no defect kind 'bubble'") && Catch::Contains("stain"));

  DefectganConfig defaults;  // the paper's values (Sec. 3.1, 4.1)
  CHECK(defaults.lambda_cls_real == 2.0);
  CHECK(defaults.lambda_cls_fake == 5.0);
  CHECK(defaults.lambda_rec == 5.0);
  CHECK(defaults.lambda_sd_cyc == 5.0);
  CHECK(defaults.lambda_sd_con == 1.0);
  CHECK(defaults.lambda_gp == 10.0);
  CHECK(defaults.n_critic == 5);
  CHECK(defaults.batch == 4);
  CHECK(defaults.image_size == 128);
  CHECK(defaults.lr == 2e-4);
  CHECK(defaults.lr_end == 1e-6);

  DefectganConfig read = defectgan_config_from_json(to_json(tiny_config()));
  CHECK(to_json(read) == to_json(tiny_config()));
  CHECK_THROWS_WITH(defectgan_config_from_json({{"lambda_recc", 1.0}}), Catch::Contains("unknown key 'lambda_recc'"));
}

TEST_CASE("D steps every step, G every n_critic-th step", "[defectgan]") {
  DefectganTrainer trainer(tiny_config(), Device::cpu());  // n_critic 2
  NamedTensors before = copied(trainer.networks_state_dict());
  DefectganLosses first = step(trainer, 1);
  CHECK(first.finite());
  CHECK_FALSE(first.generator_updated);
  CHECK(first.g_total == 0.0);
  CHECK(first.d_gp > 0.0);
  CHECK(first.d_total == Approx(first.d_adv + 2.0 * first.d_cls + 10.0 * first.d_gp).epsilon(1e-5));
  NamedTensors after_d = copied(trainer.networks_state_dict());
  CHECK(tensor_named(after_d, "G.encoder.0.conv.weight") == tensor_named(before, "G.encoder.0.conv.weight"));
  CHECK(tensor_named(after_d, "D.main.0.weight") != tensor_named(before, "D.main.0.weight"));

  DefectganLosses second = step(trainer, 2);
  CHECK(second.finite());
  CHECK(second.generator_updated);
  CHECK(second.g_rec > 0.0);
  CHECK(second.g_sd_con > 0.0);
  CHECK(second.g_total == Approx(second.g_adv + 5.0 * second.g_cls + 5.0 * second.g_rec + 5.0 * second.g_sd_cyc +
                                 1.0 * second.g_sd_con)
                              .epsilon(1e-5));
  NamedTensors after_g = trainer.networks_state_dict();
  CHECK(tensor_named(after_g, "G.encoder.0.conv.weight") != tensor_named(after_d, "G.encoder.0.conv.weight"));
  CHECK(tensor_named(after_g, "G.encoder.0.noise.weight") != tensor_named(after_d, "G.encoder.0.noise.weight"));
}

TEST_CASE("A defectgan checkpoint continues with identical next steps", "[defectgan]") {
  testing::TemporaryDirectory directory;
  DefectganConfig config = tiny_config();
  config.n_critic = 3;  // the checkpoint falls inside a cycle of D steps
  DefectganTrainer straight(config, Device::cpu());
  std::vector<DefectganLosses> expected;
  for (uint64_t s = 0; s < 6; ++s) expected.push_back(step(straight, s));

  DefectganTrainer first(config, Device::cpu());
  for (uint64_t s = 0; s < 4; ++s) step(first, s);
  const std::string path = directory.file("checkpoint.safetensors");
  io::save_safetensors(path, first.state_dict(), first.metadata());

  config.seed = 99;  // weights and the noise stream come from the checkpoint
  DefectganTrainer resumed(config, Device::cpu());
  io::TensorFile file = io::load_safetensors(path);
  resumed.load(file.tensors, file.metadata, path);
  CHECK(resumed.steps_done() == 4);
  for (uint64_t s = 4; s < 6; ++s) {
    DefectganLosses losses = step(resumed, s);
    CHECK(losses.generator_updated == expected[s].generator_updated);
    CHECK(losses.d_total == expected[s].d_total);
    CHECK(losses.g_total == expected[s].g_total);
  }
  const NamedTensors a = straight.state_dict(), b = resumed.state_dict();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].first);
    REQUIRE(b[i].first == a[i].first);
    CHECK(b[i].second.to_vector() == a[i].second.to_vector());
  }
  CHECK_THROWS_WITH(resumed.load(file.tensors, {{"model", "seggan"}}, path), Catch::Contains("not defectgan"));
}
