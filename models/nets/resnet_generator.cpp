// ResnetGenerator and its residual block.
#include "models/nets/resnet_generator.h"

#include <string>

#include "autograd/elementwise.h"
#include "layers/activations.h"
#include "layers/conv.h"
#include "layers/padding.h"
#include "layers/sequential.h"
#include "models/nets/blocks.h"
#include "models/nets/init.h"
#include "models/nets/weight_lookup.h"
#include "runtime/error.h"

namespace dforge::models {

namespace {

// ResnetBlock: x + conv_block(x), width preserved; child "conv_block".
class ResnetBlock : public Module {
 public:
  ResnetBlock(int channels, NormKind norm, Generator* dropout_generator, Generator& generator) {
    conv_block_ = register_module("conv_block", std::make_shared<Sequential>());
    const ConvSpec conv{channels, channels, 3, 1, 0, conv_bias_for(norm)};
    conv_block_->add(std::make_shared<ReflectionPad2d>(1));
    append_with_norm(*conv_block_, make_conv(conv, generator), norm, channels, std::make_shared<ReLU>());
    if (dropout_generator) conv_block_->add(std::make_shared<Dropout>(0.5, *dropout_generator));
    conv_block_->add(std::make_shared<ReflectionPad2d>(1));
    append_with_norm(*conv_block_, make_conv(conv, generator), norm, channels, nullptr);
  }

  Variable forward(const Variable& input) override { return add(input, conv_block_->forward(input)); }

 protected:
  std::string type_name() const override { return "ResnetBlock"; }

 private:
  std::shared_ptr<Sequential> conv_block_;
};

}  // namespace

ResnetGenerator::ResnetGenerator(const ResnetOptions& options, Generator& generator)
    : options_(options), dropout_generator_(derive_generator(generator)) {
  DFORGE_CHECK(options.in_channels > 0 && options.out_channels > 0 && options.ngf > 0 && options.blocks >= 0,
               "ResnetGenerator: channels and ngf must be positive and blocks non-negative, got in ",
               options.in_channels, ", out ", options.out_channels, ", ngf ", options.ngf, ", blocks ",
               options.blocks);
  auto model = std::make_shared<Sequential>();
  const NormKind norm = options.norm;
  const bool bias = conv_bias_for(norm);
  const int ngf = options.ngf;
  model->add(std::make_shared<ReflectionPad2d>(3));
  append_with_norm(*model, make_conv({options.in_channels, ngf, 7, 1, 0, bias}, generator), norm, ngf,
                   std::make_shared<ReLU>());
  for (int multiple : {1, 2}) {  // downsampling
    const int width = ngf * multiple;
    append_with_norm(*model, make_conv({width, 2 * width, 3, 2, 1, bias}, generator), norm, 2 * width,
                     std::make_shared<ReLU>());
  }
  for (int block = 0; block < options.blocks; ++block) {
    model->add(std::make_shared<ResnetBlock>(4 * ngf, norm, options.dropout ? &dropout_generator_ : nullptr,
                                             generator));
  }
  for (int multiple : {4, 2}) {  // upsampling
    const int width = ngf * multiple;
    ConvTranspose2dOptions up{.stride = 2, .padding = 1, .output_padding = 1, .bias = bias};
    append_with_norm(*model, std::make_shared<ConvTranspose2d>(width, width / 2, 3, up, generator), norm, width / 2,
                     std::make_shared<ReLU>());
  }
  model->add(std::make_shared<ReflectionPad2d>(3));
  model->add(make_conv({ngf, options.out_channels, 7, 1, 0, true}, generator));
  model->add(std::make_shared<Tanh>());
  model_ = register_module("model", model);
  init_cyclegan_weights(*this, generator);
}

Variable ResnetGenerator::forward(const Variable& input) {
  check_image_input(input, options_.in_channels, "ResnetGenerator");
  return model_->forward(input);
}

ResnetOptions infer_resnet_options(const NamedTensors& weights) {
  const std::string network = "resnet_gen";
  ResnetOptions options;
  const Tensor& first = require_tensor(weights, "model.1.weight", 4, network);  // [ngf, in, 7, 7]
  options.ngf = int(first.size(0));
  options.in_channels = int(first.size(1));
  options.blocks = 0;
  while (has_tensor(weights, "model." + std::to_string(10 + options.blocks) + ".conv_block.1.weight")) {
    options.blocks += 1;
  }
  const Tensor& last = require_tensor(weights, "model." + std::to_string(17 + options.blocks) + ".weight", 4, network);
  options.out_channels = int(last.size(0));
  // With dropout the second conv moves from index 5 to 6 (index 6 is otherwise a batch-norm scale).
  const Tensor* moved_conv = find_tensor(weights, "model.10.conv_block.6.weight");
  options.dropout = moved_conv != nullptr && moved_conv->ndim() == 4;
  if (has_tensor(weights, "model.2.running_mean")) {
    options.norm = NormKind::batch;
  } else if (has_tensor(weights, "model.1.bias")) {
    options.norm = NormKind::instance;
  } else {
    options.norm = NormKind::none;
  }
  return options;
}

}  // namespace dforge::models
