"""Shared machinery of the PyTorch parity suite.

Each test_*.py builds a layer (or network, or optimizer run) in PyTorch, writes its weights, inputs
and configuration to a safetensors file, runs our parity_driver on it, reads back our outputs and
gradients, and compares every tensor with PyTorch's (f32, rtol 1e-4 by default). Every comparison
prints its worst difference; the script exits 1 if any comparison fails.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


class Parity:
    def __init__(self):
        parser = argparse.ArgumentParser()
        parser.add_argument("--driver", required=True, help="path to the parity_driver binary")
        parser.add_argument("--dforge", required=True, help="path to the dforge command line")
        self.args = parser.parse_args()
        self.failures = 0
        self.checks = 0
        self.workdir = tempfile.mkdtemp(prefix="dforge-parity-")
        torch.manual_seed(0)
        torch.set_num_threads(1)

    def run(self, case, config, tensors):
        """Runs our driver on `case` with `config` (dict -> JSON metadata) and `tensors` (name -> tensor)."""
        source = os.path.join(self.workdir, case + ".in.safetensors")
        result = os.path.join(self.workdir, case + ".out.safetensors")
        safetensors_io.save(source, {k: v.detach().contiguous() for k, v in tensors.items()},
                            {"case": case, "config": json.dumps(config)})
        completed = subprocess.run([self.args.driver, source, result], capture_output=True, text=True)
        if completed.returncode != 0:
            print(f"FAIL {case}: driver exited {completed.returncode}: {completed.stderr.strip()}")
            self.checks += 1
            self.failures += 1
            return None
        return safetensors_io.load(result)

    def compare(self, label, ours, theirs, rtol=1e-4, atol=1e-5):
        self.checks += 1
        theirs = theirs.detach().to(torch.float64)
        if ours is None:
            print(f"FAIL {label}: missing from the driver's output")
            self.failures += 1
            return
        ours = ours.to(torch.float64)
        if ours.shape != theirs.shape:
            print(f"FAIL {label}: shape {tuple(ours.shape)} vs PyTorch {tuple(theirs.shape)}")
            self.failures += 1
            return
        difference = (ours - theirs).abs()
        allowed = atol + rtol * theirs.abs()
        worst = (difference / allowed).max().item() if difference.numel() else 0.0
        status = "ok  " if worst <= 1.0 else "FAIL"
        print(f"{status} {label}: max |diff| {difference.max().item() if difference.numel() else 0:.3e} "
              f"({worst:.3f} of tolerance)")
        if worst > 1.0:
            self.failures += 1

    def compare_all(self, case, ours, expected, **tolerance):
        """Compares every tensor in `expected` (name -> tensor) with ours of the same name."""
        if ours is None:
            return
        for name, tensor in expected.items():
            self.compare(f"{case} {name}", ours.get(name), tensor, **tolerance)

    def finish(self):
        print(f"{self.checks - self.failures} passed, {self.failures} failed")
        sys.exit(1 if self.failures else 0)


def forward_backward(module, inputs, grad_output_seed=1):
    """Runs module(*inputs), backpropagates a fixed random grad_output, returns
    (output, grad_output, {"grad.input<i>": ..., "grad.<param>": ...})."""
    leaves = [x.detach().clone().requires_grad_(True) for x in inputs]
    output = module(*leaves)
    generator = torch.Generator().manual_seed(grad_output_seed)
    # Drawn in f32 whatever the output's dtype, so an f64 run backpropagates the same values.
    grad_output = torch.randn(output.shape, generator=generator).to(output.dtype)
    output.backward(grad_output)
    grads = {f"grad.input{i}": leaf.grad for i, leaf in enumerate(leaves)}
    for name, parameter in module.named_parameters():
        if parameter.grad is not None:
            grads["grad." + name] = parameter.grad
    return output, grad_output, grads
