"""Parity of defectgan's training step (models/defectgan/trainer.h) with PyTorch.

Four steps with n_critic 2, so steps 0 and 2 update D alone and steps 1 and 3 update D then G: the
shared generator (SPADE residual decoder, noise injection, layer-wise composition) and StarGAN's
discriminator start from the same weights (all random, noise scales included, so the noise counts);
WGAN-GP with the gradient penalty of layers/gradient_penalty.h, multi-label class losses,
reconstruction, sd-cyc and sd-con L1 (paper 003 eq. 5-12); Adam (betas 0.5, 0.999) for both.
PyTorch runs first and records its random draws (noise maps, alphas); our trainer replays them in
its own order and fails on a draw of another shape. Compared: every loss of every step, the number
of draws taken, and every tensor of both networks' final state.

The same four steps run twice: with every component of the paper on, and with all four ablation
switches of Table 2 off (plain StarGAN: label map concatenated to the input, no noise, a tanh image,
no map losses).

--perturb NAME runs our side with that loss weight doubled, or with NAME "draws" with PyTorch's
noise maps doubled: the test must then fail (a check that it can, and that the noise is used).
"""
import os
import sys

import torch

from harness import Parity
from reference_defectgan import DefectganReference

perturb = None
if "--perturb" in sys.argv:
    at = sys.argv.index("--perturb")
    perturb = sys.argv[at + 1]
    del sys.argv[at:at + 2]

parity = Parity()
torch.manual_seed(0)

FULL = {"image_channels": 3, "classes": 2, "image_size": 32, "ngf": 4, "residual_blocks": 1, "spade_hidden": 8,
        "ndf": 4, "d_layers": 4, "spatial_control": True, "noise_injection": True, "layerwise_composition": True,
        "spatial_constraints": True, "lambda_cls_real": 2.0, "lambda_cls_fake": 5.0, "lambda_rec": 5.0,
        "lambda_sd_cyc": 5.0, "lambda_sd_con": 1.0, "lambda_gp": 10.0, "n_critic": 2, "lr": 1e-3, "beta1": 0.5,
        "beta2": 0.999, "batch": 2, "seed": 0}
STARGAN = {**FULL, "spatial_control": False, "noise_injection": False, "layerwise_composition": False,
           "spatial_constraints": False}
STEPS, N = int(os.environ.get("DEFECTGAN_STEPS", 4)), 2


def check(variant, config):
    c, size = config["image_channels"], config["image_size"]
    reference = DefectganReference(config)
    reference.initialise()
    state = {f"state.{prefix}.{name}": tensor.detach().clone()
             for prefix, network in reference.networks.items() for name, tensor in network.state_dict().items()}
    inputs = {}
    for k in range(STEPS):
        inputs[f"normal{k}"] = torch.rand(N, c, size, size) * 2 - 1
        inputs[f"defective{k}"] = torch.rand(N, c, size, size) * 2 - 1
        inputs[f"labels{k}"] = torch.tensor([[1.0, 0.0], [1.0, 1.0]] if k % 2 == 0 else [[0.0, 1.0], [1.0, 0.0]])
    expected = [reference.step(inputs[f"normal{k}"], inputs[f"defective{k}"], inputs[f"labels{k}"])
                for k in range(STEPS)]
    draws = {f"draw{i}": tensor for i, tensor in enumerate(reference.draws.tensors)}

    ours_config = dict(config)
    if perturb == "draws":
        draws = {name: tensor * 2 if tensor.shape[2] > 1 else tensor for name, tensor in draws.items()}  # noise maps, not alphas
    elif perturb:
        ours_config[perturb] *= 2
    ours = parity.run("defectgan_step", {"case": "defectgan_step", "defectgan": ours_config, "steps": STEPS},
                      {**state, **inputs, **draws})
    if ours is None:
        return
    label = f"defectgan {variant}"
    parity.compare(f"{label} draws used", ours.get("draws_used"), torch.tensor([float(len(draws))]), rtol=0, atol=0.5)
    for k in range(STEPS):
        parity.compare(f"{label} step {k} losses", ours.get(f"losses{k}"), expected[k])
    for prefix, network in reference.networks.items():
        for name, tensor in network.state_dict().items():
            mine = ours.get(f"state.{prefix}.{name}")
            if prefix == "G" and name == "encoder.0.conv.weight" and not config["spatial_control"] and mine is not None:
                # The label map is constant per image, so the stem's centre tap on its channels feeds
                # instance norm a constant, which the norm removes: its true gradient is 0, and Adam
                # turns either side's rounding noise into steps of up to lr. Those taps are bounded
                # by that; every other entry is compared as usual.
                centre = (slice(None), slice(c, None), 3, 3)
                g_steps = sum(1 for k in range(STEPS) if (k + 1) % config["n_critic"] == 0)
                parity.compare(f"{label} state G.{name} (label centre taps, zero gradient)", mine[centre],
                               tensor[centre], rtol=0, atol=2.1 * config["lr"] * g_steps)
                mine, tensor = mine.clone(), tensor.detach().clone()
                mine[centre] = 0
                tensor[centre] = 0
            parity.compare(f"{label} state {prefix}.{name}", mine, tensor)


check("full", FULL)
check("stargan", STARGAN)
parity.finish()
