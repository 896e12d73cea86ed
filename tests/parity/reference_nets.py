"""The reference CycleGAN backbones in PyTorch (junyanz/pytorch-CycleGAN-and-pix2pix, networks.py:
UnetGenerator / UnetSkipConnectionBlock, ResnetGenerator / ResnetBlock, NLayerDiscriminator), written
out with the same module nesting so their state_dict() names are the reference's. Shared by the
parity scripts of the networks (test_nets.py) and of the seggan training step (test_seggan_step.py).
"""
import torch
import torch.nn as nn


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
