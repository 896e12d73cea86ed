"""Parity of every layer with PyTorch: forward output, input gradients, parameter gradients and
updated buffers, with identical weights exchanged through safetensors."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from harness import Parity, forward_backward
from reference_spade import SPADE

parity = Parity()


def check_module(case, config, module, inputs, buffers_after=()):
    """Runs `module` on `inputs` in PyTorch and through our driver with the same state dict."""
    state = {"state." + k: v.clone() for k, v in module.state_dict().items()}  # forward mutates buffers
    output, grad_output, grads = forward_backward(module, inputs)
    tensors = dict(state)
    tensors.update({f"input{i}": x for i, x in enumerate(inputs)})
    tensors["grad_output"] = grad_output
    ours = parity.run(case + "_" + config.get("label", ""), dict(config, case=case), tensors)
    expected = {"output": output}
    expected.update(grads)
    for name in buffers_after:
        expected["state." + name] = module.state_dict()[name]
    parity.compare_all(case + " " + config.get("label", ""), ours, expected)


def randn(*shape):
    return torch.randn(*shape)


# ---- convolutions ------------------------------------------------------------------------------
for label, kwargs in [
    ("k3s1p1", dict(kernel_size=3, stride=1, padding=1)),
    ("k4s2p1", dict(kernel_size=4, stride=2, padding=1)),
    ("k3s1p2d2", dict(kernel_size=3, stride=1, padding=2, dilation=2)),
    ("k7reflect3", dict(kernel_size=7, padding=3, padding_mode="reflect")),
    ("k3replicate1", dict(kernel_size=3, padding=1, padding_mode="replicate")),
    ("k1nobias", dict(kernel_size=1, bias=False)),
]:
    conv = nn.Conv2d(3, 5, **kwargs)
    config = dict(label=label, in_channels=3, out_channels=5, kernel_size=kwargs["kernel_size"],
                  stride=kwargs.get("stride", 1), padding=kwargs.get("padding", 0),
                  dilation=kwargs.get("dilation", 1), bias=kwargs.get("bias", True),
                  padding_mode=kwargs.get("padding_mode", "zeros"))
    check_module("conv2d", config, conv, [randn(2, 3, 9, 9)])

for label, kwargs in [
    ("k4s2p1", dict(kernel_size=4, stride=2, padding=1)),
    ("k3s2p1op1", dict(kernel_size=3, stride=2, padding=1, output_padding=1)),
    ("k3s1p0nobias", dict(kernel_size=3, bias=False)),
]:
    deconv = nn.ConvTranspose2d(4, 3, **kwargs)
    config = dict(label=label, in_channels=4, out_channels=3, kernel_size=kwargs["kernel_size"],
                  stride=kwargs.get("stride", 1), padding=kwargs.get("padding", 0),
                  output_padding=kwargs.get("output_padding", 0), bias=kwargs.get("bias", True))
    check_module("conv_transpose2d", config, deconv, [randn(2, 4, 5, 5)])

check_module("linear", dict(label="bias", in_features=6, out_features=4, bias=True), nn.Linear(6, 4), [randn(3, 6)])

# ---- spectral norm: one training forward = one power iteration, then W / sigma ----------------
sn_conv = nn.utils.spectral_norm(nn.Conv2d(3, 4, 4, stride=2, padding=1))
check_module("conv2d", dict(label="spectral_norm", in_channels=3, out_channels=4, kernel_size=4, stride=2,
                            padding=1, dilation=1, bias=True, padding_mode="zeros", spectral_norm=True),
             sn_conv, [randn(2, 3, 8, 8)], buffers_after=["weight_u", "weight_v"])
sn_deconv = nn.utils.spectral_norm(nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1))
check_module("conv_transpose2d", dict(label="spectral_norm", in_channels=4, out_channels=3, kernel_size=4,
                                      stride=2, padding=1, output_padding=0, bias=True, spectral_norm=True),
             sn_deconv, [randn(2, 4, 4, 4)], buffers_after=["weight_u", "weight_v"])
sn_eval = nn.utils.spectral_norm(nn.Conv2d(3, 4, 3, padding=1)).eval()
check_module("conv2d", dict(label="spectral_norm_eval", in_channels=3, out_channels=4, kernel_size=3, stride=1,
                            padding=1, dilation=1, bias=True, padding_mode="zeros", spectral_norm=True,
                            training=False), sn_eval, [randn(1, 3, 6, 6)])

# ---- normalisation -------------------------------------------------------------------------------
bn = nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.uniform_(0.5, 1.5)
    bn.bias.uniform_(-0.5, 0.5)
check_module("batch_norm", dict(label="train", channels=3, affine=True, training=True, momentum=0.1, eps=1e-5),
             bn, [randn(4, 3, 5, 5)], buffers_after=["running_mean", "running_var"])
bn_eval = nn.BatchNorm2d(3).eval()
with torch.no_grad():
    bn_eval.running_mean.uniform_(-1, 1)
    bn_eval.running_var.uniform_(0.5, 2)
check_module("batch_norm", dict(label="eval", channels=3, affine=True, training=False, momentum=0.1, eps=1e-5),
             bn_eval, [randn(2, 3, 4, 4)])
check_module("instance_norm", dict(label="plain", channels=3, affine=False), nn.InstanceNorm2d(3), [randn(2, 3, 5, 5)])
inorm = nn.InstanceNorm2d(3, affine=True)
with torch.no_grad():
    inorm.weight.uniform_(0.5, 1.5)
    inorm.bias.uniform_(-0.5, 0.5)
check_module("instance_norm", dict(label="affine", channels=3, affine=True), inorm, [randn(2, 3, 5, 5)])


# ---- modulation layers, written in PyTorch from their papers' reference code -------------------
class AdaIN(nn.Module):
    def __init__(self, style_dim, channels):
        super().__init__()
        self.norm = nn.InstanceNorm2d(channels, affine=False)
        self.fc = nn.Linear(style_dim, channels * 2)

    def forward(self, x, s):
        h = self.fc(s).view(s.size(0), -1, 1, 1)
        gamma, beta = torch.chunk(h, chunks=2, dim=1)
        return (1 + gamma) * self.norm(x) + beta


class ODSPADE(nn.Module):
    def __init__(self, channels, code_dim, height, width):
        super().__init__()
        self.height, self.width = height, width
        self.fc = nn.Linear(code_dim, height * width)
        self.shared = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1, bias=False), nn.LeakyReLU(0.2))
        self.gamma = nn.Conv2d(3, channels, 3, padding=1, bias=False)
        self.beta = nn.Conv2d(3, channels, 3, padding=1, bias=False)

    def forward(self, x, code):
        mean = x.mean(dim=1, keepdim=True)
        var = x.var(dim=1, keepdim=True, unbiased=False)
        normalized = (x - mean) / torch.sqrt(var + 1e-5)
        features = self.shared(self.fc(code).view(-1, 1, self.height, self.width))
        return self.gamma(features) * normalized + self.beta(features)


class NoiseInjection(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(channels))  # random here so the test means something

    def forward(self, x, noise):
        return x + self.weight.view(1, -1, 1, 1) * noise


check_module("adain", dict(label="", style_dim=8, channels=4), AdaIN(8, 4), [randn(2, 4, 5, 5), randn(2, 8)])
check_module("spade", dict(label="", channels=4, label_channels=2, hidden=16), SPADE(4, 2, 16),
             [randn(2, 4, 6, 6), randn(2, 2, 3, 3)])
check_module("od_spade", dict(label="", channels=4, code_dim=5, height=6, width=6), ODSPADE(4, 5, 6, 6),
             [randn(2, 4, 6, 6), randn(2, 5)])
check_module("noise_injection", dict(label="", channels=3), NoiseInjection(3), [randn(2, 3, 4, 4), randn(2, 1, 4, 4)])

parity.finish()
