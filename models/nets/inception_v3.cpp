// InceptionV3 (FID variant): BasicConv2d, the five Inception block kinds, and the trunk.
#include "models/nets/inception_v3.h"

#include <string>

#include "autograd/conv.h"
#include "autograd/elementwise.h"
#include "autograd/pad.h"
#include "autograd/pool.h"
#include "autograd/resize.h"
#include "autograd/shape_ops.h"
#include "layers/init.h"
#include "layers/norm.h"
#include "models/nets/blocks.h"

namespace dforge::models {
namespace {

constexpr double kBatchNormEps = 0.001;  // the TF graph's epsilon

// A conv's kernel, stride and zero padding, possibly rectangular (1x7, 7x1, 1x3, 3x1).
struct Kernel {
  int height, width, stride = 1, pad_height = 0, pad_width = 0;
};
Kernel square(int size, int stride = 1, int padding = 0) { return {size, size, stride, padding, padding}; }
Kernel row(int size) { return {1, size, 1, 0, size / 2}; }     // 1 x size, "same" padding
Kernel column(int size) { return {size, 1, 1, size / 2, 0}; }  // size x 1, "same" padding

// Conv2d without bias and with a rectangular kernel: weight [out, in, kh, kw]. Unequal paddings
// are applied by pad2d first, since our conv2d pads both dims alike.
class RectangularConv : public Module {
 public:
  RectangularConv(int in, int out, Kernel kernel, Generator& generator) : kernel_(kernel) {
    weight_ = register_parameter("weight", Tensor::zeros({out, in, kernel.height, kernel.width}));
    init::normal(weight_, 0.0, 0.1, generator);
  }
  Variable forward(const Variable& x) override {
    if (kernel_.pad_height == kernel_.pad_width)
      return conv2d(x, weight_, Variable(), {kernel_.stride, kernel_.pad_height});
    const Variable padded = pad2d(x, kernel_.pad_width, kernel_.pad_width, kernel_.pad_height, kernel_.pad_height);
    return conv2d(padded, weight_, Variable(), {kernel_.stride, 0});
  }

 protected:
  std::string type_name() const override { return "Conv2d"; }

 private:
  Kernel kernel_;
  Variable weight_;
};

// conv -> bn -> relu, torchvision's BasicConv2d.
class BasicConv2d : public Module {
 public:
  BasicConv2d(int in, int out, Kernel kernel, Generator& generator) {
    conv_ = register_module("conv", std::make_shared<RectangularConv>(in, out, kernel, generator));
    bn_ = register_module("bn", std::make_shared<BatchNorm2d>(out, kBatchNormEps));
  }
  Variable forward(const Variable& x) override { return relu(bn_->forward(conv_->forward(x))); }

 protected:
  std::string type_name() const override { return "BasicConv2d"; }

 private:
  std::shared_ptr<RectangularConv> conv_;
  std::shared_ptr<BatchNorm2d> bn_;
};

// An Inception block: named BasicConv2d children, branches concatenated along channels.
class InceptionBlock : public Module {
 protected:
  explicit InceptionBlock(Generator& generator) : generator_(generator) {}
  std::shared_ptr<BasicConv2d> conv(const std::string& name, int in, int out, Kernel kernel) {
    return register_module(name, std::make_shared<BasicConv2d>(in, out, kernel, generator_));
  }
  // The FID variants' average pool: 3x3, stride 1, pad 1, padding not counted.
  static Variable average_pool(const Variable& x) { return avg_pool2d(x, 3, 1, 1, false); }

 private:
  Generator& generator_;
};

// InceptionA (Mixed_5b..5d): 1x1 | 1x1 -> 5x5 | 1x1 -> 3x3 -> 3x3 | avg pool -> 1x1.
class InceptionA : public InceptionBlock {
 public:
  InceptionA(int in, int pool_features, Generator& generator) : InceptionBlock(generator) {
    branch1x1_ = conv("branch1x1", in, 64, square(1));
    branch5x5_1_ = conv("branch5x5_1", in, 48, square(1));
    branch5x5_2_ = conv("branch5x5_2", 48, 64, square(5, 1, 2));
    branch3x3dbl_1_ = conv("branch3x3dbl_1", in, 64, square(1));
    branch3x3dbl_2_ = conv("branch3x3dbl_2", 64, 96, square(3, 1, 1));
    branch3x3dbl_3_ = conv("branch3x3dbl_3", 96, 96, square(3, 1, 1));
    branch_pool_ = conv("branch_pool", in, pool_features, square(1));
  }
  Variable forward(const Variable& x) override {
    return cat({branch1x1_->forward(x), branch5x5_2_->forward(branch5x5_1_->forward(x)),
                branch3x3dbl_3_->forward(branch3x3dbl_2_->forward(branch3x3dbl_1_->forward(x))),
                branch_pool_->forward(average_pool(x))},
               1);
  }

 protected:
  std::string type_name() const override { return "FIDInceptionA"; }

 private:
  std::shared_ptr<BasicConv2d> branch1x1_, branch5x5_1_, branch5x5_2_, branch3x3dbl_1_, branch3x3dbl_2_,
      branch3x3dbl_3_, branch_pool_;
};

// InceptionB (Mixed_6a), 35 -> 17: 3x3 s2 | 1x1 -> 3x3 -> 3x3 s2 | max pool 3 s2.
class InceptionB : public InceptionBlock {
 public:
  InceptionB(int in, Generator& generator) : InceptionBlock(generator) {
    branch3x3_ = conv("branch3x3", in, 384, square(3, 2));
    branch3x3dbl_1_ = conv("branch3x3dbl_1", in, 64, square(1));
    branch3x3dbl_2_ = conv("branch3x3dbl_2", 64, 96, square(3, 1, 1));
    branch3x3dbl_3_ = conv("branch3x3dbl_3", 96, 96, square(3, 2));
  }
  Variable forward(const Variable& x) override {
    return cat({branch3x3_->forward(x),
                branch3x3dbl_3_->forward(branch3x3dbl_2_->forward(branch3x3dbl_1_->forward(x))),
                max_pool2d(x, 3, 2)},
               1);
  }

 protected:
  std::string type_name() const override { return "InceptionB"; }

 private:
  std::shared_ptr<BasicConv2d> branch3x3_, branch3x3dbl_1_, branch3x3dbl_2_, branch3x3dbl_3_;
};

// InceptionC (Mixed_6b..6e): 1x1 | 1x1 -> 1x7 -> 7x1 | 1x1 -> 7x1 -> 1x7 -> 7x1 -> 1x7 | avg pool -> 1x1.
class InceptionC : public InceptionBlock {
 public:
  InceptionC(int in, int c7, Generator& generator) : InceptionBlock(generator) {
    branch1x1_ = conv("branch1x1", in, 192, square(1));
    branch7x7_ = {conv("branch7x7_1", in, c7, square(1)), conv("branch7x7_2", c7, c7, row(7)),
                  conv("branch7x7_3", c7, 192, column(7))};
    branch7x7dbl_ = {conv("branch7x7dbl_1", in, c7, square(1)), conv("branch7x7dbl_2", c7, c7, column(7)),
                     conv("branch7x7dbl_3", c7, c7, row(7)), conv("branch7x7dbl_4", c7, c7, column(7)),
                     conv("branch7x7dbl_5", c7, 192, row(7))};
    branch_pool_ = conv("branch_pool", in, 192, square(1));
  }
  Variable forward(const Variable& x) override {
    return cat({branch1x1_->forward(x), chain(branch7x7_, x), chain(branch7x7dbl_, x),
                branch_pool_->forward(average_pool(x))},
               1);
  }

 protected:
  std::string type_name() const override { return "FIDInceptionC"; }

 private:
  static Variable chain(const std::vector<std::shared_ptr<BasicConv2d>>& convs, Variable x) {
    for (const auto& c : convs) x = c->forward(x);
    return x;
  }
  std::shared_ptr<BasicConv2d> branch1x1_, branch_pool_;
  std::vector<std::shared_ptr<BasicConv2d>> branch7x7_, branch7x7dbl_;
};

// InceptionD (Mixed_7a), 17 -> 8: 1x1 -> 3x3 s2 | 1x1 -> 1x7 -> 7x1 -> 3x3 s2 | max pool 3 s2.
class InceptionD : public InceptionBlock {
 public:
  InceptionD(int in, Generator& generator) : InceptionBlock(generator) {
    branch3x3_1_ = conv("branch3x3_1", in, 192, square(1));
    branch3x3_2_ = conv("branch3x3_2", 192, 320, square(3, 2));
    branch7x7x3_1_ = conv("branch7x7x3_1", in, 192, square(1));
    branch7x7x3_2_ = conv("branch7x7x3_2", 192, 192, row(7));
    branch7x7x3_3_ = conv("branch7x7x3_3", 192, 192, column(7));
    branch7x7x3_4_ = conv("branch7x7x3_4", 192, 192, square(3, 2));
  }
  Variable forward(const Variable& x) override {
    Variable b7 = branch7x7x3_3_->forward(branch7x7x3_2_->forward(branch7x7x3_1_->forward(x)));
    return cat({branch3x3_2_->forward(branch3x3_1_->forward(x)), branch7x7x3_4_->forward(b7), max_pool2d(x, 3, 2)}, 1);
  }

 protected:
  std::string type_name() const override { return "InceptionD"; }

 private:
  std::shared_ptr<BasicConv2d> branch3x3_1_, branch3x3_2_, branch7x7x3_1_, branch7x7x3_2_, branch7x7x3_3_,
      branch7x7x3_4_;
};

// InceptionE (Mixed_7b, 7c): 1x1 | 1x1 -> (1x3 ; 3x1) | 1x1 -> 3x3 -> (1x3 ; 3x1) | pool -> 1x1,
// the pool an average pool (FIDInceptionE_1) or a max pool (FIDInceptionE_2).
class InceptionE : public InceptionBlock {
 public:
  InceptionE(int in, bool max_pool_branch, Generator& generator)
      : InceptionBlock(generator), max_pool_branch_(max_pool_branch) {
    branch1x1_ = conv("branch1x1", in, 320, square(1));
    branch3x3_1_ = conv("branch3x3_1", in, 384, square(1));
    branch3x3_2a_ = conv("branch3x3_2a", 384, 384, row(3));
    branch3x3_2b_ = conv("branch3x3_2b", 384, 384, column(3));
    branch3x3dbl_1_ = conv("branch3x3dbl_1", in, 448, square(1));
    branch3x3dbl_2_ = conv("branch3x3dbl_2", 448, 384, square(3, 1, 1));
    branch3x3dbl_3a_ = conv("branch3x3dbl_3a", 384, 384, row(3));
    branch3x3dbl_3b_ = conv("branch3x3dbl_3b", 384, 384, column(3));
    branch_pool_ = conv("branch_pool", in, 192, square(1));
  }
  Variable forward(const Variable& x) override {
    const Variable b3 = branch3x3_1_->forward(x);
    const Variable d3 = branch3x3dbl_2_->forward(branch3x3dbl_1_->forward(x));
    const Variable pooled = max_pool_branch_ ? max_pool2d(x, 3, 1, 1) : average_pool(x);
    return cat({branch1x1_->forward(x), branch3x3_2a_->forward(b3), branch3x3_2b_->forward(b3),
                branch3x3dbl_3a_->forward(d3), branch3x3dbl_3b_->forward(d3), branch_pool_->forward(pooled)},
               1);
  }

 protected:
  std::string type_name() const override { return max_pool_branch_ ? "FIDInceptionE_2" : "FIDInceptionE_1"; }

 private:
  bool max_pool_branch_;
  std::shared_ptr<BasicConv2d> branch1x1_, branch3x3_1_, branch3x3_2a_, branch3x3_2b_, branch3x3dbl_1_,
      branch3x3dbl_2_, branch3x3dbl_3a_, branch3x3dbl_3b_, branch_pool_;
};

}  // namespace

InceptionV3Fid::InceptionV3Fid(Generator& generator) {
  auto stem = [&](const std::string& name, int in, int out, Kernel kernel) {
    stem_.push_back(register_module(name, std::make_shared<BasicConv2d>(in, out, kernel, generator)));
  };
  stem("Conv2d_1a_3x3", 3, 32, square(3, 2));
  stem("Conv2d_2a_3x3", 32, 32, square(3));
  stem("Conv2d_2b_3x3", 32, 64, square(3, 1, 1));
  stem("Conv2d_3b_1x1", 64, 80, square(1));
  stem("Conv2d_4a_3x3", 80, 192, square(3));
  auto mixed = [&](const std::string& name, std::shared_ptr<Module> block) {
    mixed_.push_back(register_module(name, std::move(block)));
  };
  mixed("Mixed_5b", std::make_shared<InceptionA>(192, 32, generator));
  mixed("Mixed_5c", std::make_shared<InceptionA>(256, 64, generator));
  mixed("Mixed_5d", std::make_shared<InceptionA>(288, 64, generator));
  mixed("Mixed_6a", std::make_shared<InceptionB>(288, generator));
  mixed("Mixed_6b", std::make_shared<InceptionC>(768, 128, generator));
  mixed("Mixed_6c", std::make_shared<InceptionC>(768, 160, generator));
  mixed("Mixed_6d", std::make_shared<InceptionC>(768, 160, generator));
  mixed("Mixed_6e", std::make_shared<InceptionC>(768, 192, generator));
  mixed("Mixed_7a", std::make_shared<InceptionD>(768, generator));
  mixed("Mixed_7b", std::make_shared<InceptionE>(1280, false, generator));
  mixed("Mixed_7c", std::make_shared<InceptionE>(2048, true, generator));
  eval();
}

Variable InceptionV3Fid::features(const Variable& images) {
  check_image_input(images, 3, "InceptionV3 (FID)");
  Variable x = upsample(images, kInputSize, kInputSize, UpsampleMode::bilinear, false) * 2.0 - 1.0;
  x = stem_[0]->forward(x);
  x = stem_[1]->forward(x);
  x = max_pool2d(stem_[2]->forward(x), 3, 2);
  x = stem_[3]->forward(x);
  x = max_pool2d(stem_[4]->forward(x), 3, 2);
  for (auto& block : mixed_) x = block->forward(x);
  return flatten(adaptive_avg_pool2d(x, 1, 1), 1);
}

}  // namespace dforge::models
