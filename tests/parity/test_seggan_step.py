"""Parity of seggan's training step (models/seggan/trainer.h) with PyTorch.

The same two steps in both: G_y (U-Net, 4 + 1 -> 4 channels), G_x, and two spectrally normalised
PatchGANs (n_layers 2), starting from the same weights; LSGAN losses with D_y's patches weighted by
w = max(lambda_clip, mask fraction in the 34-pixel window) (paper 000 eq. 3-4), cycle and identity
L1, RAdam (betas 0.5, 0.999) for each network, the image pool while it fills (so it returns each new
fake: no randomness). Compared: every loss of every step and every tensor of the four networks'
final state (weights, biases, spectral-norm u and v). The PyTorch step is reference_seggan.py's,
shared with the speed bench (bench/seggan_torch.py).
"""
import torch

from harness import Parity
from reference_seggan import SegganReference

parity = Parity()
torch.manual_seed(0)

CONFIG = {"generator": "unet", "image_channels": 4, "ngf": 4, "ndf": 4, "unet_downs": 5, "d_layers": 2,
          "spectral_norm": True, "lambda_clip": 0.2, "lambda_cycle": 10.0, "lambda_identity": 0.5,
          "lr": 1e-3, "beta1": 0.5, "beta2": 0.999, "steps": 2, "decay_from": 1.0, "batch": 2,
          "pool_size": 50, "crop": 32, "seed": 0}
STEPS, N, C, SIZE = 2, 2, 4, 32

reference = SegganReference(image_channels=C, num_downs=5, ngf=4, ndf=4, d_layers=2, spectral_norm=True,
                            lambda_clip=CONFIG["lambda_clip"], lambda_cycle=CONFIG["lambda_cycle"],
                            lambda_identity=CONFIG["lambda_identity"], lr=CONFIG["lr"], betas=(0.5, 0.999))
reference.initialise()
networks = reference.networks

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

for k in range(STEPS):
    expected = reference.step(inputs[f"normal{k}"], inputs[f"defective{k}"], inputs[f"masks{k}"])
    if ours is not None:
        parity.compare(f"seggan step {k} losses", ours.get(f"losses{k}"), expected)

if ours is not None:
    for prefix, network in networks.items():
        for name, tensor in network.state_dict().items():
            parity.compare(f"seggan state {prefix}.{name}", ours.get(f"state.{prefix}.{name}"), tensor)
parity.finish()
