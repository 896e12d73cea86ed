"""Parity of the inspectors' networks with PyTorch: torchvision's ResNet (written out here with
torchvision's module names, as torchvision is not installed where the suite runs) and the ResNet-18
autoencoder of models/inspect/autoencoder.h, with random weights and non-trivial running statistics.
Each is run forward and backward in training mode (batch statistics, running statistics updated)
and in eval mode (running statistics); output, input gradient, parameter gradients and the buffers
after the forward are compared with PyTorch's, twice:

- in f64 (both sides in double precision), at rtol 1e-8 and an absolute tolerance of 1e-10 of each
  tensor's largest entry. This is the check of the math. Measured: every output, gradient and
  buffer of the autoencoder agrees to 6e-14 of its tensor's largest entry (the worst comparison
  uses 3e-4 of its tolerance), every gradient entry above 1e-3 of its tensor's largest to 1e-11
  relative. A wrong backward (transposed conv, train-mode batch norm, tanh, ...) would be off by
  orders of magnitude more.
- in f32, at rtol 1e-4 for the output and buffers (the autoencoder's output at atol 1e-4), but the
  gradients only at rtol 1e-3 with an absolute tolerance of 1e-4 of each tensor's largest entry.
  That looseness is f32 rounding, not a bug. Against PyTorch in f64, the autoencoder's f32
  gradients (training mode) are off by at most 1.4e-5 of a tensor's largest entry for us and
  1.7e-5 for PyTorch's own f32 (eval: 9.5e-6 and 1.0e-5); per tensor, our error over PyTorch
  f32's has a median of 1.3 and a maximum of 2.3, with no layer kind standing out (encoder or
  decoder, conv or batch norm: all within 1.6e-5). The worst entries are small entries of weight
  gradients: each is a sum of thousands of products of both signs, so a small one is a difference
  of large sums and keeps their rounding (~3x worse in training mode than in eval mode, where
  batch norm's backward does not also subtract the batch means of the incoming gradient; entries above 1e-3 of the tensor's largest are off by up to 6e-3 relative for us and 4e-3 for
  PyTorch f32, both against f64), which is why the default rtol 1e-4 / atol 1e-5 would fail the
  encoder's conv weight gradients by a factor of ~300, while the tolerance above is met with a
  margin of ~8x (worst: 0.12 of it). The f32 pass therefore also checks that our f32 gradients are
  no less accurate than PyTorch's: the largest error against PyTorch f64 over the gradient
  tensors, relative to each tensor's largest entry, may be at most 3x PyTorch f32's.
"""
import copy

import torch
import torch.nn as nn

from harness import Parity, forward_backward

parity = Parity()


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU()
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        return self.relu(self.bn3(self.conv3(out)) + identity)


class ResNet(nn.Module):
    """torchvision.models.resnet.ResNet's structure and names; `width` 64 is torchvision's."""

    def __init__(self, depth, in_channels, num_classes, width=64):
        super().__init__()
        block, layers = {18: (BasicBlock, [2, 2, 2, 2]), 34: (BasicBlock, [3, 4, 6, 3]),
                         50: (Bottleneck, [3, 4, 6, 3])}[depth]
        self.inplanes = width
        self.conv1 = nn.Conv2d(in_channels, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        for i, blocks in enumerate(layers):
            setattr(self, f"layer{i + 1}", self._make_layer(block, width << i, blocks, 1 if i == 0 else 2))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(self.inplanes, num_classes) if num_classes else None

    def _make_layer(self, block, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, 1, None) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def feature_map(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))

    def forward(self, x):
        x = torch.flatten(self.avgpool(self.feature_map(x)), 1)
        return x if self.fc is None else self.fc(x)


class Autoencoder(nn.Module):
    """models/inspect/autoencoder.h: ResNet-18 encoder to layer4, mirrored transposed-conv decoder."""

    def __init__(self, in_channels, width):
        super().__init__()
        self.encoder = ResNet(18, in_channels, 0, width)
        unit = width // 2
        widths = [16 * unit, 8 * unit, 4 * unit, 2 * unit, 2 * unit, unit]
        layers = []
        for a, b in zip(widths, widths[1:]):
            layers += [nn.ConvTranspose2d(a, b, 4, 2, 1, bias=False), nn.BatchNorm2d(b), nn.ReLU()]
        layers += [nn.Conv2d(unit, in_channels, 3, 1, 1), nn.Tanh()]
        self.decoder = nn.Sequential(*layers)

    def forward(self, x):
        return self.decoder(self.encoder.feature_map(x))


def randomise(network):
    with torch.no_grad():
        for name, parameter in network.named_parameters():
            if name.endswith("bias"):
                parameter.normal_(0.0, 0.1)
            elif parameter.dim() >= 2:
                parameter.normal_(0.0, (2.0 / parameter[0].numel()) ** 0.5)
            else:
                parameter.normal_(1.0, 0.2)
        for module in network.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 1.5)
                module.num_batches_tracked.fill_(3)


def relative_error(ours, reference):
    """max |ours - reference| / max |reference|, in f64."""
    reference = reference.detach().to(torch.float64)
    return ((ours.to(torch.float64) - reference).abs().max() / reference.abs().max().clamp_min(1e-300)).item()


def check(case, label, config, network, input_shape, training, output_atol=1e-5, f64=True):
    randomise(network)
    network.train(training)
    state = {"state." + k: v.clone() for k, v in network.state_dict().items()}
    network64 = copy.deepcopy(network).double()
    x = torch.randn(*input_shape)
    output, grad_output, grads = forward_backward(network, [x])
    tensors = dict(state, input0=x, grad_output=grad_output)
    ours = parity.run(f"{case}_{label}", dict(config, case=case, training=training), tensors)
    if ours is None:
        return
    parity.compare(f"{label} output", ours.get("output"), output, atol=output_atol)
    buffers = {"state." + k: v for k, v in network.state_dict().items() if "running" in k or "tracked" in k}
    parity.compare_all(label, ours, buffers)
    for name, gradient in grads.items():
        # A weight gradient sums thousands of f32 products, in another order than PyTorch's: its
        # small entries carry the rounding of the large ones, so the absolute tolerance follows the
        # tensor's scale (1e-4 of its largest entry). See the docstring for the measured errors.
        parity.compare(f"{label} {name}", ours.get(name), gradient, rtol=1e-3,
                       atol=max(1e-5, 1e-4 * gradient.abs().max().item()))
    if not f64:
        return
    # The same case in f64 on both sides: the math, free of f32 rounding.
    output64, _, grads64 = forward_backward(network64, [x.double()])
    state64 = {k: v.double() if v.is_floating_point() else v for k, v in state.items()}
    tensors64 = dict(state64, input0=x.double(), grad_output=grad_output.double())
    ours64 = parity.run(f"{case}_{label}_f64", dict(config, case=case, training=training, dtype="f64"), tensors64)
    if ours64 is None:
        return
    for name, expected in [("output", output64)] + list(grads64.items()) + [
            ("state." + k, v) for k, v in network64.state_dict().items() if "running" in k or "tracked" in k]:
        mine = ours64.get(name)
        if mine is not None and expected.is_floating_point() and mine.dtype != expected.dtype:
            parity.checks += 1
            parity.failures += 1
            print(f"FAIL {label} f64 {name}: dtype {mine.dtype}, expected {expected.dtype}")
            continue
        parity.compare(f"{label} f64 {name}", mine, expected, rtol=1e-8,
                       atol=max(1e-12, 1e-10 * expected.detach().abs().max().item()))
    # Our f32 gradients are as close to PyTorch f64's as PyTorch's own f32 gradients are.
    parity.checks += 1
    ours_error = max(relative_error(ours[name], grads64[name]) for name in grads)
    torch_error = max(relative_error(grads[name], grads64[name]) for name in grads)
    status = "ok  " if ours_error <= 3 * torch_error else "FAIL"
    parity.failures += status == "FAIL"
    print(f"{status} {label} f32 gradients vs PyTorch f64: ours off by {ours_error:.2e} of a tensor's largest "
          f"entry, PyTorch f32 by {torch_error:.2e} (allowed: 3x)")


torch.manual_seed(0)
for training in (True, False):
    mode = "train" if training else "eval"
    check("resnet", f"resnet18_{mode}", dict(depth=18, in_channels=4, num_classes=2, width=64),
          ResNet(18, 4, 2), (2, 4, 64, 64), training, f64=False)
    # The autoencoder's tanh output ends 25 layers of f32 rounding: atol 1e-4 of its range [-1, 1].
    check("autoencoder", f"autoencoder_{mode}", dict(in_channels=4, width=16), Autoencoder(4, 16), (2, 4, 64, 64),
          training, output_atol=1e-4)
check("resnet", "resnet50_w8_eval", dict(depth=50, in_channels=3, num_classes=3, width=8), ResNet(50, 3, 3, 8),
      (2, 3, 64, 64), False, f64=False)
check("resnet", "resnet34_w8_train", dict(depth=34, in_channels=3, num_classes=3, width=8), ResNet(34, 3, 3, 8),
      (2, 3, 64, 64), True)
parity.finish()
