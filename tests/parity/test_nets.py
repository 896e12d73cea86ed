"""Parity of the CycleGAN backbones (models/nets/) with PyTorch, through `dforge forward`.

The reference architectures (junyanz/pytorch-CycleGAN-and-pix2pix, networks.py: UnetGenerator /
UnetSkipConnectionBlock, ResnetGenerator / ResnetBlock, NLayerDiscriminator) are written out below
with the same module nesting, so their state_dict() names are the reference's. Each network is
randomly initialised (batch-norm running statistics and spectral-norm u, v made non-trivial by a few
training-mode forwards), saved as safetensors, run by `dforge forward` in eval mode and compared
with PyTorch's eval-mode output.
"""
import os
import subprocess

import torch
import torch.nn as nn

import safetensors_io
from harness import Parity

parity = Parity()


def norm_layer(kind, channels):
    if kind == "batch":
        return nn.BatchNorm2d(channels, affine=True, track_running_stats=True)
    if kind == "instance":
        return nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)
    return nn.Identity()


class UnetBlock(nn.Module):
    def __init__(self, outer, inner, input_nc, submodule, outermost, innermost, norm):
        super().__init__()
        self.outermost = outermost
        bias = norm == "instance"
        down = nn.Conv2d(input_nc, inner, 4, stride=2, padding=1, bias=bias)
        if outermost:
            up = nn.ConvTranspose2d(inner * 2, outer, 4, stride=2, padding=1)
            layers = [down, submodule, nn.ReLU(True), up, nn.Tanh()]
        elif innermost:
            up = nn.ConvTranspose2d(inner, outer, 4, stride=2, padding=1, bias=bias)
            layers = [nn.LeakyReLU(0.2, True), down, nn.ReLU(True), up, norm_layer(norm, outer)]
        else:
            up = nn.ConvTranspose2d(inner * 2, outer, 4, stride=2, padding=1, bias=bias)
            layers = [nn.LeakyReLU(0.2, True), down, norm_layer(norm, inner), submodule,
                      nn.ReLU(True), up, norm_layer(norm, outer)]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x) if self.outermost else torch.cat([x, self.model(x)], 1)


class Unet(nn.Module):
    def __init__(self, in_nc, out_nc, num_downs, ngf, norm):
        super().__init__()
        block = UnetBlock(ngf * 8, ngf * 8, ngf * 8, None, False, True, norm)
        for _ in range(num_downs - 5):
            block = UnetBlock(ngf * 8, ngf * 8, ngf * 8, block, False, False, norm)
        for mult in (4, 2, 1):
            block = UnetBlock(ngf * mult, ngf * mult * 2, ngf * mult, block, False, False, norm)
        self.model = UnetBlock(out_nc, ngf, in_nc, block, True, False, norm)

    def forward(self, x):
        return self.model(x)


class ResnetBlock(nn.Module):
    def __init__(self, dim, norm):
        super().__init__()
        bias = norm == "instance"
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=bias), norm_layer(norm, dim), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=bias), norm_layer(norm, dim))

    def forward(self, x):
        return x + self.conv_block(x)


class Resnet(nn.Module):
    def __init__(self, in_nc, out_nc, ngf, blocks, norm):
        super().__init__()
        bias = norm == "instance"
        layers = [nn.ReflectionPad2d(3), nn.Conv2d(in_nc, ngf, 7, bias=bias), norm_layer(norm, ngf), nn.ReLU(True)]
        for mult in (1, 2):
            layers += [nn.Conv2d(ngf * mult, ngf * mult * 2, 3, stride=2, padding=1, bias=bias),
                       norm_layer(norm, ngf * mult * 2), nn.ReLU(True)]
        layers += [ResnetBlock(ngf * 4, norm) for _ in range(blocks)]
        for mult in (4, 2):
            layers += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 3, stride=2, padding=1, output_padding=1,
                                          bias=bias),
                       norm_layer(norm, ngf * mult // 2), nn.ReLU(True)]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, out_nc, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class PatchGan(nn.Module):
    def __init__(self, in_nc, ndf, n_layers, norm, spectral):
        super().__init__()
        sn = nn.utils.spectral_norm if spectral else (lambda conv: conv)
        bias = norm == "instance"
        layers = [sn(nn.Conv2d(in_nc, ndf, 4, stride=2, padding=1)), nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers + 1):
            previous, mult = mult, min(2 ** n, 8)
            stride = 2 if n < n_layers else 1
            layers += [sn(nn.Conv2d(ndf * previous, ndf * mult, 4, stride=stride, padding=1, bias=bias)),
                       norm_layer(norm, ndf * mult), nn.LeakyReLU(0.2, True)]
        layers += [sn(nn.Conv2d(ndf * mult, 1, 4, stride=1, padding=1))]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


def randomise(network, input_shape):
    """CycleGAN init, then training-mode forwards so running statistics and u, v move."""
    with torch.no_grad():
        for name, parameter in network.named_parameters():
            if name.endswith("bias"):
                parameter.normal_(0.0, 0.1)  # non-zero, so a dropped bias shows
            elif parameter.dim() >= 2:
                parameter.normal_(0.0, 0.02)
            else:
                parameter.normal_(1.0, 0.2)
        network.train()
        for _ in range(3):
            network(torch.randn(*input_shape))
        for module in network.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 1.5)
    network.eval()


def check_network(label, net_name, network, input_shape):
    randomise(network, input_shape)
    x = torch.randn(*input_shape)
    with torch.no_grad():
        expected = network(x)
    weights = os.path.join(parity.workdir, label + ".weights.safetensors")
    source = os.path.join(parity.workdir, label + ".input.safetensors")
    result = os.path.join(parity.workdir, label + ".output.safetensors")
    safetensors_io.save(weights, {k: v.detach().contiguous() for k, v in network.state_dict().items()})
    safetensors_io.save(source, {"input": x})
    completed = subprocess.run([parity.args.dforge, "forward", "--net", net_name, "--weights", weights,
                                "--input", source, "--out", result], capture_output=True, text=True)
    if completed.returncode != 0:
        print(f"FAIL {label}: dforge forward exited {completed.returncode}: {completed.stderr.strip()}")
        parity.checks += 1
        parity.failures += 1
        return
    parity.compare(label, safetensors_io.load(result)["output"], expected)


torch.manual_seed(0)
check_network("unet_instance", "unet", Unet(3, 2, 5, 4, "instance"), (2, 3, 32, 32))
check_network("unet_batch", "unet", Unet(3, 3, 6, 4, "batch"), (2, 3, 64, 64))
check_network("resnet_instance", "resnet_gen", Resnet(3, 3, 4, 3, "instance"), (2, 3, 16, 16))
check_network("resnet_batch", "resnet_gen", Resnet(4, 3, 4, 2, "batch"), (1, 4, 20, 20))
for n_layers in (2, 3):
    for spectral in (False, True):
        label = f"patchgan_n{n_layers}{'_sn' if spectral else ''}"
        check_network(label + "_instance", "patchgan", PatchGan(3, 4, n_layers, "instance", spectral), (2, 3, 40, 40))
check_network("patchgan_n2_sn_batch", "patchgan", PatchGan(4, 4, 2, "batch", True), (2, 4, 36, 36))
parity.finish()
