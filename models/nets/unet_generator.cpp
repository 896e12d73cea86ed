// UnetGenerator: the levels are built from the innermost outwards, as the reference does.
#include "models/nets/unet_generator.h"

#include <algorithm>

#include "autograd/shape_ops.h"
#include "layers/activations.h"
#include "layers/conv.h"
#include "layers/sequential.h"
#include "models/nets/blocks.h"
#include "models/nets/init.h"
#include "models/nets/weight_lookup.h"
#include "runtime/error.h"

namespace dforge::models {

namespace {

enum class Level { outermost, middle, innermost };

// UnetSkipConnectionBlock: one level, its inner levels as `submodule`; child "model".
class UnetSkipBlock : public Module {
 public:
  UnetSkipBlock(int outer_channels, int inner_channels, int input_channels, std::shared_ptr<Module> submodule,
                Level level, NormKind norm, bool tanh_output, Generator* dropout_generator,
                Generator& generator)
      : outermost_(level == Level::outermost) {
    model_ = register_module("model", std::make_shared<Sequential>());
    const bool bias = conv_bias_for(norm);
    auto down = make_conv({input_channels, inner_channels, 4, 2, 1, bias}, generator);
    const int up_input = level == Level::innermost ? inner_channels : 2 * inner_channels;
    ConvTranspose2dOptions up_options{.stride = 2, .padding = 1, .bias = outermost_ || bias};
    auto up = std::make_shared<ConvTranspose2d>(up_input, outer_channels, 4, up_options, generator);
    switch (level) {
      case Level::outermost:
        model_->add(down);
        model_->add(submodule);
        model_->add(std::make_shared<ReLU>());
        model_->add(up);
        if (tanh_output) model_->add(std::make_shared<Tanh>());
        break;
      case Level::innermost:
        model_->add(std::make_shared<LeakyReLU>(0.2));
        model_->add(down);
        model_->add(std::make_shared<ReLU>());
        append_with_norm(*model_, up, norm, outer_channels, nullptr);
        break;
      case Level::middle:
        model_->add(std::make_shared<LeakyReLU>(0.2));
        append_with_norm(*model_, down, norm, inner_channels, nullptr);
        model_->add(submodule);
        model_->add(std::make_shared<ReLU>());
        append_with_norm(*model_, up, norm, outer_channels, nullptr);
        if (dropout_generator) model_->add(std::make_shared<Dropout>(0.5, *dropout_generator));
        break;
    }
  }

  Variable forward(const Variable& input) override {
    if (outermost_) return model_->forward(input);
    return cat({input, model_->forward(input)}, 1);
  }

 protected:
  std::string type_name() const override { return "UnetSkipConnectionBlock"; }

 private:
  bool outermost_;
  std::shared_ptr<Sequential> model_;
};

// Inner width of level k (1 = outermost).
int inner_width(int ngf, int level) { return ngf * (1 << std::min(level - 1, 3)); }

}  // namespace

UnetGenerator::UnetGenerator(const UnetOptions& options, Generator& generator)
    : options_(options), dropout_generator_(derive_generator(generator)) {
  DFORGE_CHECK(options.num_downs >= 2, "UnetGenerator: num_downs must be at least 2, got ", options.num_downs);
  DFORGE_CHECK(options.in_channels > 0 && options.out_channels > 0 && options.ngf > 0,
               "UnetGenerator: in_channels, out_channels and ngf must be positive, got ", options.in_channels, ", ",
               options.out_channels, ", ", options.ngf);
  std::shared_ptr<Module> block;
  for (int level = options.num_downs; level >= 1; --level) {
    const Level kind = level == 1 ? Level::outermost : level == options.num_downs ? Level::innermost : Level::middle;
    const int inner = inner_width(options.ngf, level);
    const int outer = level == 1 ? options.out_channels : inner_width(options.ngf, level - 1);
    const int input = level == 1 ? options.in_channels : outer;
    const bool dropout = options.dropout && kind == Level::middle && level >= 5;
    block = std::make_shared<UnetSkipBlock>(outer, inner, input, block, kind, options.norm, options.tanh_output,
                                            dropout ? &dropout_generator_ : nullptr, generator);
  }
  model_ = register_module("model", block);
  init_cyclegan_weights(*this, generator);
}

Variable UnetGenerator::forward(const Variable& input) {
  check_image_input(input, options_.in_channels, "UnetGenerator");
  const int64_t factor = int64_t(1) << options_.num_downs;
  DFORGE_CHECK(input.size(2) % factor == 0 && input.size(3) % factor == 0, "UnetGenerator: input ",
               shape_str(input.shape()), ": H and W must be divisible by 2^num_downs = ", factor);
  return model_->forward(input);
}

UnetOptions infer_unet_options(const NamedTensors& weights) {
  const std::string network = "unet";
  UnetOptions options;
  const Tensor& first = require_tensor(weights, "model.model.0.weight", 4, network);   // [ngf, in, 4, 4]
  const Tensor& last = require_tensor(weights, "model.model.3.weight", 4, network);    // [2 ngf, out, 4, 4]
  options.ngf = int(first.size(0));
  options.in_channels = int(first.size(1));
  options.out_channels = int(last.size(1));
  // Walk inwards: a middle level's child 3 is the next level (no weight), the innermost's is its ConvT.
  std::string level = "model.model.1";
  options.num_downs = 2;
  require_tensor(weights, level + ".model.1.weight", 4, network);
  while (!has_tensor(weights, level + ".model.3.weight")) {
    level += ".model.3";
    options.num_downs += 1;
    require_tensor(weights, level + ".model.1.weight", 4, network);
  }
  if (has_tensor(weights, level + ".model.4.running_mean")) {
    options.norm = NormKind::batch;
  } else if (has_tensor(weights, level + ".model.3.bias")) {
    options.norm = NormKind::instance;
  } else {
    options.norm = NormKind::none;
  }
  return options;
}

}  // namespace dforge::models
