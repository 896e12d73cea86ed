"""Parity of the inspectors' networks with PyTorch: torchvision's ResNet (written out here with
torchvision's module names, as torchvision is not installed where the suite runs) and the ResNet-18
autoencoder of models/inspect/autoencoder.h, with random weights and non-trivial running statistics.
Each is run forward and backward in training mode (batch statistics, running statistics updated)
and in eval mode (running statistics); output, input gradient, parameter gradients and the buffers
after the forward are compared at rtol 1e-4 (gradients at rtol 1e-3 with an absolute tolerance of
1e-4 of each tensor's largest entry; the autoencoder's output at atol 1e-4)."""
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


def check(case, label, config, network, input_shape, training, output_atol=1e-5):
    randomise(network)
    network.train(training)
    state = {"state." + k: v.clone() for k, v in network.state_dict().items()}
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
        # tensor's scale (1e-4 of its largest entry).
        parity.compare(f"{label} {name}", ours.get(name), gradient, rtol=1e-3,
                       atol=max(1e-5, 1e-4 * gradient.abs().max().item()))


torch.manual_seed(0)
for training in (True, False):
    mode = "train" if training else "eval"
    check("resnet", f"resnet18_{mode}", dict(depth=18, in_channels=4, num_classes=2, width=64),
          ResNet(18, 4, 2), (2, 4, 64, 64), training)
    # The autoencoder's tanh output ends 25 layers of f32 rounding: atol 1e-4 of its range [-1, 1].
    check("autoencoder", f"autoencoder_{mode}", dict(in_channels=4, width=16), Autoencoder(4, 16), (2, 4, 64, 64),
          training, output_atol=1e-4)
check("resnet", "resnet50_w8_eval", dict(depth=50, in_channels=3, num_classes=3, width=8), ResNet(50, 3, 3, 8),
      (2, 3, 64, 64), False)
check("resnet", "resnet34_w8_train", dict(depth=34, in_channels=3, num_classes=3, width=8), ResNet(34, 3, 3, 8),
      (2, 3, 64, 64), True)
parity.finish()
