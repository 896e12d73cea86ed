"""SPADE (Park et al. 2019, NVlabs/SPADE normalization.py) in PyTorch, with its names: the parameter-free
instance norm of x modulated by convolutions of the segmentation/control map. Shared by the layer
parity test (test_layers.py) and the defectgan step (reference_defectgan.py).
"""
import torch.nn as nn
import torch.nn.functional as F


class SPADE(nn.Module):
    def __init__(self, channels, label_channels, hidden):
        super().__init__()
        self.param_free_norm = nn.InstanceNorm2d(channels, affine=False)
        self.mlp_shared = nn.Sequential(nn.Conv2d(label_channels, hidden, 3, padding=1), nn.ReLU())
        self.mlp_gamma = nn.Conv2d(hidden, channels, 3, padding=1)
        self.mlp_beta = nn.Conv2d(hidden, channels, 3, padding=1)

    def forward(self, x, segmap):
        normalized = self.param_free_norm(x)
        segmap = F.interpolate(segmap, size=x.size()[2:], mode="nearest")
        actv = self.mlp_shared(segmap)
        return normalized * (1 + self.mlp_gamma(actv)) + self.mlp_beta(actv)
