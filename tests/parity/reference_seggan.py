"""seggan's training step in PyTorch (models/seggan/trainer.h, paper 000 eq. 3-6): the four reference
networks, one RAdam per network, LSGAN losses with D_y's patches weighted by
w = max(lambda_clip, mask fraction in the 34-pixel window), cycle and identity L1.

One module for the parity test of the step (test_seggan_step.py) and the speed bench
(bench/seggan_torch.py), so the step the bench times is the step the parity test verified. The image
pool is left out: while it fills it returns each new fake, which is what `step` uses.
"""
import math

import torch
import torch.nn.functional as F

from reference_nets import PatchGan, Resnet, Unet


def lsgan(prediction, target, weight=None):
    error = (prediction - target) ** 2
    return (error * weight).mean() if weight is not None else error.mean()


def patch_weights(masks, lambda_clip):
    """w(s) of models/seggan/mask_weight.h: the mask fraction in each PatchGAN (n_layers 2) window."""
    return F.avg_pool2d(masks, 34, 4, padding=11, count_include_pad=True).clamp_min(lambda_clip)


class SegganReference:
    """G_y (C + 1 -> C), G_x (C -> C): U-Nets (num_downs 0: log2(size)) or ResNets; spectrally
    normalised PatchGANs D_y and D_x. The defaults are SegganConfig's (models/seggan/config.h)."""

    def __init__(self, image_channels=4, size=256, generator="unet", num_downs=0, resnet_blocks=9, ngf=64, ndf=64,
                 d_layers=2, spectral_norm=True, lambda_clip=0.0, lambda_cycle=10.0, lambda_identity=0.5, lr=2e-4,
                 betas=(0.5, 0.999), device="cpu"):
        channels = image_channels
        num_downs = num_downs or int(math.log2(size))

        def make_generator(in_nc):
            if generator == "resnet":
                return Resnet(in_nc, channels, ngf, resnet_blocks, "instance").to(device)
            return Unet(in_nc, channels, num_downs, ngf, "instance").to(device)
        self.g_y, self.g_x = make_generator(channels + 1), make_generator(channels)
        self.d_y = PatchGan(channels, ndf, d_layers, "instance", spectral_norm).to(device)
        self.d_x = PatchGan(channels, ndf, d_layers, "instance", spectral_norm).to(device)
        self.networks = {"G_y": self.g_y, "G_x": self.g_x, "D_y": self.d_y, "D_x": self.d_x}
        for network in self.networks.values():
            network.train()
        self.optimizers = {name: torch.optim.RAdam(network.parameters(), lr=lr, betas=betas)
                           for name, network in self.networks.items()}
        self.lambda_clip = lambda_clip
        self.cycle_weight = lambda_cycle
        self.identity_weight = lambda_cycle * lambda_identity

    def initialise(self, weight_std=0.02, bias_std=0.05):
        """Draws every parameter from N(0, std) (weights: dim >= 2), so tiny nets have non-trivial biases."""
        with torch.no_grad():
            for network in self.networks.values():
                for parameter in network.parameters():
                    parameter.normal_(0.0, weight_std if parameter.dim() >= 2 else bias_std)

    def step(self, x, y, s):
        """One training step on normal images x, defective images y and y's masks s ([N, 1, H, W]).
        Returns the losses as one tensor: g_gan_y, g_gan_x, cycle, identity, g_total, d_y, d_x."""
        w = patch_weights(s, self.lambda_clip)
        # Generators, discriminators frozen.
        for d in (self.d_y, self.d_x):
            d.requires_grad_(False)
        fake_y = self.g_y(torch.cat([x, s], 1))
        rec_x = self.g_x(fake_y)
        fake_x = self.g_x(y)
        rec_y = self.g_y(torch.cat([fake_x, s], 1))
        gan_y = lsgan(self.d_y(fake_y), 1.0, w)
        gan_x = lsgan(self.d_x(fake_x), 1.0)
        cycle = (F.l1_loss(rec_x, x) + F.l1_loss(rec_y, y)) * self.cycle_weight
        identity = (F.l1_loss(self.g_y(torch.cat([y, s], 1)), y) + F.l1_loss(self.g_x(x), x)) * self.identity_weight
        total = gan_y + gan_x + cycle + identity
        self.optimizers["G_y"].zero_grad()
        self.optimizers["G_x"].zero_grad()
        total.backward()
        self.optimizers["G_y"].step()
        self.optimizers["G_x"].step()
        for d in (self.d_y, self.d_x):
            d.requires_grad_(True)
        # Discriminators on the (filling) pool's fakes: the new ones, detached.
        loss_d_y = 0.5 * (lsgan(self.d_y(y), 1.0, w) + lsgan(self.d_y(fake_y.detach()), 0.0, w))
        loss_d_x = 0.5 * (lsgan(self.d_x(x), 1.0) + lsgan(self.d_x(fake_x.detach()), 0.0))
        self.optimizers["D_y"].zero_grad()
        self.optimizers["D_x"].zero_grad()
        (loss_d_y + loss_d_x).backward()
        self.optimizers["D_y"].step()
        self.optimizers["D_x"].step()
        return torch.stack([gan_y, gan_x, cycle, identity, total, loss_d_y, loss_d_x]).detach()
