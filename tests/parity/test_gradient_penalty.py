"""Second-order gradients against PyTorch: the WGAN-GP penalty of a small discriminator
(conv, leaky ReLU, instance norm, avg-pool, linear) and its gradient with respect to every
discriminator weight, the path WGAN-GP and R1 take."""
import torch
import torch.nn as nn

from harness import Parity

parity = Parity()


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.norm = nn.InstanceNorm2d(4, affine=True)
        self.conv2 = nn.Conv2d(4, 6, 3, padding=1)
        self.fc = nn.Linear(6, 1)

    def forward(self, x):
        h = nn.functional.leaky_relu(self.norm(self.conv1(x)), 0.2)
        h = nn.functional.leaky_relu(self.conv2(h), 0.2)
        h = nn.functional.adaptive_avg_pool2d(h, 1).flatten(1)
        return self.fc(h)


critic = Critic()
with torch.no_grad():
    critic.norm.weight.uniform_(0.5, 1.5)
    critic.norm.bias.uniform_(-0.5, 0.5)
x_hat = torch.randn(3, 3, 8, 8).requires_grad_(True)
score = critic(x_hat)
(gradient,) = torch.autograd.grad(score.sum(), x_hat, create_graph=True)
penalty = ((gradient.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
penalty.backward()

tensors = {"state." + k: v for k, v in critic.state_dict().items()}
tensors["input0"] = x_hat.detach()
ours = parity.run("gradient_penalty", {"case": "gradient_penalty"}, tensors)
expected = {"output": penalty}
expected.update({"grad." + name: p.grad if p.grad is not None else torch.zeros_like(p)
                 for name, p in critic.named_parameters()})
parity.compare_all("gradient_penalty", ours, expected, rtol=1e-4, atol=1e-6)
parity.finish()
