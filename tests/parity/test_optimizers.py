"""SGD, Adam and RAdam over 20 steps with a fixed gradient sequence must leave the parameters
where torch.optim leaves them (relative 1e-6)."""
import torch

from harness import Parity

parity = Parity()
steps = 20
parameter = torch.randn(5, 7)
gradients = [torch.randn(5, 7) for _ in range(steps)]

for label, make, config in [
    ("adam", lambda p: torch.optim.Adam([p], lr=2e-3, betas=(0.5, 0.999)),
     dict(optimizer="adam", lr=2e-3, beta1=0.5, beta2=0.999, eps=1e-8, weight_decay=0)),
    ("adam_weight_decay", lambda p: torch.optim.Adam([p], lr=1e-3, weight_decay=0.1),
     dict(optimizer="adam", lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1)),
    ("radam", lambda p: torch.optim.RAdam([p], lr=2e-4, betas=(0.5, 0.999)),
     dict(optimizer="radam", lr=2e-4, beta1=0.5, beta2=0.999, eps=1e-8, weight_decay=0)),
    ("radam_weight_decay", lambda p: torch.optim.RAdam([p], lr=1e-2, weight_decay=0.05),
     dict(optimizer="radam", lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.05)),
    ("sgd_nesterov", lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
     dict(optimizer="sgd", lr=0.1, momentum=0.9, dampening=0, nesterov=True, weight_decay=0.01)),
]:
    p = parameter.clone().requires_grad_(True)
    optimizer = make(p)
    for g in gradients:
        p.grad = g.clone()
        optimizer.step()
    tensors = {"parameter": parameter}
    tensors.update({f"gradient{i}": g for i, g in enumerate(gradients)})
    ours = parity.run("optimizer_" + label, dict(config, case="optimizer", steps=steps), tensors)
    parity.compare_all(label, ours, {"parameter": p.detach()}, rtol=1e-6, atol=1e-7)

parity.finish()
