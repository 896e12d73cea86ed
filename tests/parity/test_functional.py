"""Parity of the functional ops (activations, pooling, resizing, padding, softmax, losses) with
PyTorch: outputs and input gradients."""
import torch
import torch.nn.functional as F

from harness import Parity

parity = Parity()


def check(label, op, config, function, inputs, differentiable=None):
    """`function(*inputs)` in PyTorch vs our driver's functional op `op` with `config`."""
    differentiable = differentiable if differentiable is not None else [True] * len(inputs)
    leaves = [x.detach().clone().requires_grad_(d) for x, d in zip(inputs, differentiable)]
    output = function(*leaves)
    grad_output = torch.randn(output.shape, generator=torch.Generator().manual_seed(7))
    output.backward(grad_output)
    tensors = {f"input{i}": x for i, x in enumerate(inputs)}
    tensors["grad_output"] = grad_output
    ours = parity.run("functional_" + label, dict(config, case="functional", op=op,
                                                  differentiable=differentiable), tensors)
    expected = {"output": output}
    for i, leaf in enumerate(leaves):
        if leaf.requires_grad:
            expected[f"grad.input{i}"] = leaf.grad
    parity.compare_all(label, ours, expected)


x = torch.randn(2, 3, 8, 8)
check("relu", "relu", {}, F.relu, [x])
check("leaky_relu", "leaky_relu", {"slope": 0.2}, lambda t: F.leaky_relu(t, 0.2), [x])
check("tanh", "tanh", {}, torch.tanh, [x])
check("sigmoid", "sigmoid", {}, torch.sigmoid, [x])
check("avg_pool", "avg_pool2d", {"kernel": 3, "stride": 2, "padding": 1},
      lambda t: F.avg_pool2d(t, 3, 2, 1), [x])
check("avg_pool_exclude_pad", "avg_pool2d", {"kernel": 3, "stride": 2, "padding": 1, "count_include_pad": False},
      lambda t: F.avg_pool2d(t, 3, 2, 1, count_include_pad=False), [x])
check("max_pool", "max_pool2d", {"kernel": 2, "stride": 2, "padding": 0}, lambda t: F.max_pool2d(t, 2, 2), [x])
check("max_pool_padded", "max_pool2d", {"kernel": 3, "stride": 2, "padding": 1},
      lambda t: F.max_pool2d(t, 3, 2, 1), [x])
check("adaptive_avg_pool", "adaptive_avg_pool2d", {"height": 3, "width": 5},
      lambda t: F.adaptive_avg_pool2d(t, (3, 5)), [x])
check("upsample_nearest", "upsample", {"height": 13, "width": 16, "mode": "nearest"},
      lambda t: F.interpolate(t, size=(13, 16), mode="nearest"), [x])
check("upsample_bilinear", "upsample", {"height": 13, "width": 16, "mode": "bilinear", "align_corners": False},
      lambda t: F.interpolate(t, size=(13, 16), mode="bilinear", align_corners=False), [x])
check("upsample_bilinear_aligned", "upsample", {"height": 13, "width": 16, "mode": "bilinear", "align_corners": True},
      lambda t: F.interpolate(t, size=(13, 16), mode="bilinear", align_corners=True), [x])
for mode in ["constant", "reflect", "replicate"]:
    check("pad_" + mode, "pad2d", {"left": 1, "right": 3, "top": 2, "bottom": 0,
                                   "mode": "zeros" if mode == "constant" else mode},
          lambda t, m=mode: F.pad(t, (1, 3, 2, 0), mode=m), [x])
check("softmax", "softmax", {"axis": 1}, lambda t: torch.softmax(t, 1), [x])
check("log_softmax", "log_softmax", {"axis": -1}, lambda t: torch.log_softmax(t, -1), [x])

target = torch.randn(2, 3, 8, 8)
check("mse", "mse_loss", {}, F.mse_loss, [x, target])
check("l1", "l1_loss", {}, F.l1_loss, [x, target])
probabilities = torch.rand(2, 3, 8, 8)
check("bce_with_logits", "bce_with_logits", {}, F.binary_cross_entropy_with_logits, [x, probabilities],
      differentiable=[True, False])
labels = torch.randint(0, 3, (2, 8, 8)).to(torch.int32)
check("cross_entropy", "cross_entropy", {}, lambda t, y: F.cross_entropy(t, y.long()), [x, labels],
      differentiable=[True, False])
weight = torch.rand(2, 1, 8, 8)
check("lsgan_weighted", "lsgan_loss", {"target": 1.0},
      lambda p, w: (w * (p - 1.0) ** 2).mean(), [x, weight], differentiable=[True, False])

parity.finish()
