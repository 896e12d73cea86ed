"""defectgan's networks and training step in PyTorch (models/defectgan/{networks,trainer}.h, paper 003
Sec. 3.1, eq. 1-12): the same module names as ours, so state dicts move between the two unchanged.

Random numbers (the noise of every noise injection, WGAN-GP's alpha) come from `draw`, which records
each tensor it draws, in order: test_defectgan_step.py hands that list to our trainer, which takes
them in its own order and fails on a draw of the wrong shape.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_spade import SPADE


class Draws:
    def __init__(self):
        self.tensors = []

    def normal(self, shape):
        self.tensors.append(torch.randn(shape))
        return self.tensors[-1]

    def uniform(self, shape):
        self.tensors.append(torch.rand(shape))
        return self.tensors[-1]


class NoiseInjection(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(channels))

    def forward(self, x, draws):
        return x + self.weight.view(1, -1, 1, 1) * draws.normal((x.shape[0], 1, x.shape[2], x.shape[3]))


class Block(nn.Module):
    """kind: stem (Conv7x7), down (Conv4x4 s2), decoder (Conv3x3), up (ConvT4x4 s2), output (Conv7x7)."""

    def __init__(self, kind, in_channels, out_channels, cfg):
        super().__init__()
        self.kind = kind
        if kind in ("stem", "down"):
            stem = kind == "stem"
            self.conv = nn.Conv2d(in_channels, out_channels, 7 if stem else 4, 1 if stem else 2, 3 if stem else 1,
                                  bias=False)
            self.norm = nn.InstanceNorm2d(out_channels, affine=True)
        else:
            self.norm = (SPADE(in_channels, cfg["classes"], cfg["spade_hidden"]) if cfg["spatial_control"]
                         else nn.InstanceNorm2d(in_channels, affine=True))
            if kind == "up":
                self.conv = nn.ConvTranspose2d(in_channels, out_channels, 4, 2, 1, bias=False)
            else:
                kernel = 7 if kind == "output" else 3
                self.conv = nn.Conv2d(in_channels, out_channels, kernel, padding=kernel // 2, bias=kind == "output")
        self.noise = NoiseInjection(out_channels) if cfg["noise_injection"] and kind != "output" else None

    def forward(self, x, control, draws):
        if self.kind in ("stem", "down"):
            h = F.relu(self.norm(self.conv(x)))
        else:
            normed = self.norm(x, control) if isinstance(self.norm, SPADE) else self.norm(x)
            h = self.conv(F.relu(normed))
        return self.noise(h, draws) if self.noise is not None else h


class Residual(nn.Module):
    def __init__(self, channels, cfg):
        super().__init__()
        self.block1 = Block("decoder", channels, channels, cfg)
        self.block2 = Block("decoder", channels, channels, cfg)

    def forward(self, x, control, draws):
        return x + self.block2(self.block1(x, control, draws), control, draws)


class Generator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        ngf, c, k = cfg["ngf"], cfg["image_channels"], cfg["classes"]
        in_channels = c + (0 if cfg["spatial_control"] else k)
        self.encoder = nn.ModuleList([Block("stem", in_channels, ngf, cfg), Block("down", ngf, 2 * ngf, cfg),
                                      Block("down", 2 * ngf, 4 * ngf, cfg)])
        self.residual = nn.ModuleList([Residual(4 * ngf, cfg) for _ in range(cfg["residual_blocks"])])
        self.up = nn.ModuleList([Block("up", 4 * ngf, 2 * ngf, cfg), Block("up", 2 * ngf, ngf, cfg)])
        self.output = Block("output", ngf, c + (1 if cfg["layerwise_composition"] else 0), cfg)

    def forward(self, x, control, draws):
        h = x if self.cfg["spatial_control"] else torch.cat([x, control], 1)
        for block in [*self.encoder, *self.residual, *self.up, self.output]:
            h = block(h, control, draws)
        c = self.cfg["image_channels"]
        if not self.cfg["layerwise_composition"]:
            return torch.tanh(h), None
        return torch.tanh(h[:, :c]), torch.sigmoid(h[:, c:c + 1])


class Discriminator(nn.Module):
    """yunjey/stargan's Discriminator, d_layers deep."""

    def __init__(self, cfg):
        super().__init__()
        layers, channels = [], cfg["image_channels"]
        for layer in range(cfg["d_layers"]):
            layers += [nn.Conv2d(channels, cfg["ndf"] << layer, 4, 2, 1), nn.LeakyReLU(0.01)]
            channels = cfg["ndf"] << layer
        self.main = nn.Sequential(*layers)
        self.conv1 = nn.Conv2d(channels, 1, 3, 1, 1, bias=False)
        self.conv2 = nn.Conv2d(channels, cfg["classes"], cfg["image_size"] >> cfg["d_layers"], bias=False)

    def forward(self, x):
        h = self.main(x)
        return self.conv1(h), self.conv2(h).view(h.shape[0], -1)


def class_loss(logits, labels):
    return F.binary_cross_entropy_with_logits(logits, labels, reduction="sum") / logits.shape[0]


class DefectganReference:
    def __init__(self, cfg):
        self.cfg = cfg
        self.g, self.d = Generator(cfg), Discriminator(cfg)
        self.networks = {"G": self.g, "D": self.d}
        betas = (cfg["beta1"], cfg["beta2"])
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=cfg["lr"], betas=betas)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=cfg["lr"], betas=betas)
        self.draws = Draws()
        self.steps_done = 0

    def initialise(self, weight_std=0.1, bias_std=0.05):
        """Every parameter random (noise scales too, so the noise matters from the first step)."""
        with torch.no_grad():
            for network in self.networks.values():
                for name, parameter in network.named_parameters():
                    if parameter.dim() >= 2:
                        parameter.normal_(0.0, weight_std)
                    elif name.endswith("norm.weight"):
                        parameter.normal_(1.0, weight_std)
                    else:
                        parameter.normal_(0.0, bias_std)

    def translate(self, x, control):
        foreground, m = self.g(x, control, self.draws)
        if m is None:
            return foreground, None
        return x * (1 - m) + foreground * m, m

    def gradient_penalty(self, real, fake):
        alpha = self.draws.uniform((real.shape[0], 1, 1, 1))
        x_hat = (fake + alpha * (real - fake)).detach().requires_grad_(True)
        (gradient,) = torch.autograd.grad(self.d(x_hat)[0].sum(), x_hat, create_graph=True)
        norms = torch.sqrt((gradient * gradient).sum(dim=(1, 2, 3)))
        return ((norms - 1) ** 2).mean()

    def step(self, n, d, c):
        """Returns d_adv, d_cls, d_gp, d_total, g_adv, g_cls, g_rec, g_sd_cyc, g_sd_con, g_total."""
        cfg = self.cfg
        size = n.shape[2]
        target_map = c.view(*c.shape, 1, 1).expand(-1, -1, size, size)
        normal_map = torch.zeros_like(target_map)
        both_labels = torch.cat([c, torch.zeros_like(c)], 0)
        # D
        with torch.no_grad():
            fake = torch.cat([self.translate(n, target_map)[0], self.translate(d, normal_map)[0]], 0)
        real = torch.cat([d, n], 0)
        src_real, cls_real = self.d(real)
        src_fake, _ = self.d(fake)
        d_adv = src_fake.mean() - src_real.mean()
        d_cls = class_loss(cls_real, both_labels)
        d_gp = self.gradient_penalty(real, fake)
        d_total = d_adv + d_cls * cfg["lambda_cls_real"] + d_gp * cfg["lambda_gp"]
        self.opt_d.zero_grad()
        d_total.backward()
        self.opt_d.step()
        zero = torch.zeros(())
        g_losses = [zero] * 6
        # G, every n_critic-th step
        if (self.steps_done + 1) % cfg["n_critic"] == 0:
            self.d.requires_grad_(False)
            defaced, m_defaced = self.translate(n, target_map)
            restored, m_restored = self.translate(defaced, normal_map)
            repaired, m_repaired = self.translate(d, normal_map)
            redefaced, m_redefaced = self.translate(repaired, target_map)
            src, cls = self.d(torch.cat([defaced, repaired], 0))
            g_adv = -src.mean()
            g_cls = class_loss(cls, both_labels)
            g_rec = F.l1_loss(restored, n) + F.l1_loss(redefaced, d)
            total = g_adv + g_cls * cfg["lambda_cls_fake"] + g_rec * cfg["lambda_rec"]
            sd_cyc = sd_con = zero
            if cfg["spatial_constraints"]:
                sd_cyc = F.l1_loss(m_defaced, m_restored) + F.l1_loss(m_repaired, m_redefaced)
                sd_con = sum(m.abs().mean() for m in (m_defaced, m_restored, m_repaired, m_redefaced))
                total = total + sd_cyc * cfg["lambda_sd_cyc"] + sd_con * cfg["lambda_sd_con"]
            self.opt_g.zero_grad()
            total.backward()
            self.opt_g.step()
            self.d.requires_grad_(True)
            g_losses = [g_adv, g_cls, g_rec, sd_cyc, sd_con, total]
        self.steps_done += 1
        return torch.stack([d_adv, d_cls, d_gp, d_total, *g_losses]).detach()
