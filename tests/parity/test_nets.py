"""Parity of the CycleGAN backbones (models/nets/) with PyTorch, through `dforge forward`.

The reference architectures are in reference_nets.py, with the reference's state-dict names. Each
network is randomly initialised (batch-norm running statistics and spectral-norm u, v made
non-trivial by a few training-mode forwards), saved as safetensors, run by `dforge forward` in eval
mode and compared with PyTorch's eval-mode output.
"""
import os
import subprocess

import torch
import torch.nn as nn

import safetensors_io
from harness import Parity
from reference_nets import PatchGan, Resnet, Unet

parity = Parity()


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
