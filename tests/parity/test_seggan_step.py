"""Parity of seggan's training step (models/seggan/trainer.h) with PyTorch.

The same two steps in both: G_y (U-Net, 4 + 1 -> 4 channels), G_x, and two spectrally normalised
PatchGANs (n_layers 2), starting from the same weights; LSGAN losses with D_y's patches weighted by
w = max(lambda_clip, mask fraction in the 34-pixel window) (paper 000 eq. 3-4), cycle and identity
L1, RAdam (betas 0.5, 0.999) for each network, the image pool while it fills (so it returns each new
fake: no randomness). Compared: every loss of every step and every tensor of the four networks'
final state (weights, biases, spectral-norm u and v).
"""
import json

import torch
import torch.nn.functional as F

from harness import Parity
from reference_nets import PatchGan, Unet

parity = Parity()
torch.manual_seed(0)

CONFIG = {"generator": "unet", "image_channels": 4, "ngf": 4, "ndf": 4, "unet_downs": 5, "d_layers": 2,
          "spectral_norm": True, "lambda_clip": 0.2, "lambda_cycle": 10.0, "lambda_identity": 0.5,
          "lr": 1e-3, "beta1": 0.5, "beta2": 0.999, "steps": 2, "decay_from": 1.0, "batch": 2,
          "pool_size": 50, "crop": 32, "seed": 0}
STEPS, N, C, SIZE = 2, 2, 4, 32

g_y, g_x = Unet(C + 1, C, 5, 4, "instance"), Unet(C, C, 5, 4, "instance")
d_y, d_x = PatchGan(C, 4, 2, "instance", True), PatchGan(C, 4, 2, "instance", True)
networks = {"G_y": g_y, "G_x": g_x, "D_y": d_y, "D_x": d_x}
with torch.no_grad():
    for network in networks.values():
        for name, parameter in network.named_parameters():
            parameter.normal_(0.0, 0.02 if parameter.dim() >= 2 else 0.05)
        network.train()

state = {f"state.{prefix}.{name}": tensor.detach().clone()
         for prefix, network in networks.items() for name, tensor in network.state_dict().items()}
inputs = {}
for k in range(STEPS):
    inputs[f"normal{k}"] = torch.rand(N, C, SIZE, SIZE) * 2 - 1
    inputs[f"defective{k}"] = torch.rand(N, C, SIZE, SIZE) * 2 - 1
    masks = torch.zeros(N, 1, SIZE, SIZE)
    masks[0, :, 4:12, 6:20] = 1.0
    masks[1, :, 20:30, 3:9] = 1.0
    inputs[f"masks{k}"] = masks

ours = parity.run("seggan_step", {"case": "seggan_step", "seggan": CONFIG, "steps": STEPS}, {**state, **inputs})


def lsgan(prediction, target, weight=None):
    error = (prediction - target) ** 2
    return (error * weight).mean() if weight is not None else error.mean()


def patch_weights(masks):
    return F.avg_pool2d(masks, 34, 4, padding=11, count_include_pad=True).clamp_min(CONFIG["lambda_clip"])


optimizers = {name: torch.optim.RAdam(network.parameters(), lr=CONFIG["lr"], betas=(0.5, 0.999))
              for name, network in networks.items()}
cycle_weight, identity_weight = CONFIG["lambda_cycle"], CONFIG["lambda_cycle"] * CONFIG["lambda_identity"]
for k in range(STEPS):
    x, y, s = inputs[f"normal{k}"], inputs[f"defective{k}"], inputs[f"masks{k}"]
    w = patch_weights(s)
    # Generators, discriminators frozen.
    for d in (d_y, d_x):
        d.requires_grad_(False)
    fake_y = g_y(torch.cat([x, s], 1))
    rec_x = g_x(fake_y)
    fake_x = g_x(y)
    rec_y = g_y(torch.cat([fake_x, s], 1))
    gan_y = lsgan(d_y(fake_y), 1.0, w)
    gan_x = lsgan(d_x(fake_x), 1.0)
    cycle = (F.l1_loss(rec_x, x) + F.l1_loss(rec_y, y)) * cycle_weight
    identity = (F.l1_loss(g_y(torch.cat([y, s], 1)), y) + F.l1_loss(g_x(x), x)) * identity_weight
    total = gan_y + gan_x + cycle + identity
    optimizers["G_y"].zero_grad()
    optimizers["G_x"].zero_grad()
    total.backward()
    optimizers["G_y"].step()
    optimizers["G_x"].step()
    for d in (d_y, d_x):
        d.requires_grad_(True)
    # Discriminators on the (filling) pool's fakes: the new ones, detached.
    loss_d_y = 0.5 * (lsgan(d_y(y), 1.0, w) + lsgan(d_y(fake_y.detach()), 0.0, w))
    loss_d_x = 0.5 * (lsgan(d_x(x), 1.0) + lsgan(d_x(fake_x.detach()), 0.0))
    optimizers["D_y"].zero_grad()
    optimizers["D_x"].zero_grad()
    (loss_d_y + loss_d_x).backward()
    optimizers["D_y"].step()
    optimizers["D_x"].step()
    expected = torch.stack([gan_y, gan_x, cycle, identity, total, loss_d_y, loss_d_x]).detach()
    if ours is not None:
        parity.compare(f"seggan step {k} losses", ours.get(f"losses{k}"), expected)

if ours is not None:
    for prefix, network in networks.items():
        for name, tensor in network.state_dict().items():
            parity.compare(f"seggan state {prefix}.{name}", ours.get(f"state.{prefix}.{name}"), tensor)
parity.finish()
