"""Parity of LPIPS (VGG16, lin, v0.1), pytorch-fid's InceptionV3 and the Frechet distance.

torchvision, lpips and pytorch-fid are not installed here, so the reference networks are written out
below with the same module names (torchvision.models.vgg16().features, lpips' NetLinLayer lin0..lin4,
torchvision's Inception3 blocks with pytorch-fid's FIDInceptionA/C/E_1/E_2 forwards) and random
weights. The Frechet distance is compared with scipy.linalg.sqrtm, as pytorch-fid computes it.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from harness import Parity

parity = Parity()


# ---- LPIPS ---------------------------------------------------------------------------------------

def vgg16_features():
    layers, channels = [], 3
    for width in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]:
        if width == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(inplace=False)]
            channels = width
    return nn.Sequential(*layers)


class NetLinLayer(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.model = nn.Sequential(nn.Dropout(), nn.Conv2d(channels, 1, 1, bias=False))


class Lpips(nn.Module):
    TAP_ENDS = (3, 8, 15, 22, 29)  # lpips' vgg16 slices: [0, 4), [4, 9), [9, 16), [16, 23), [23, 30)

    def __init__(self):
        super().__init__()
        self.features = vgg16_features()
        for k, channels in enumerate((64, 128, 256, 512, 512)):
            setattr(self, f"lin{k}", NetLinLayer(channels))
        self.register_buffer("shift", torch.tensor([-.030, -.088, -.188])[None, :, None, None], persistent=False)
        self.register_buffer("scale", torch.tensor([.458, .448, .450])[None, :, None, None], persistent=False)

    def taps(self, x):
        out = []
        for index, layer in enumerate(self.features):
            x = layer(x)
            if index in self.TAP_ENDS:
                out.append(x)
            if index == self.TAP_ENDS[-1]:
                return out

    def forward(self, x0, x1, weight=None):
        total = 0
        for k, (f0, f1) in enumerate(zip(self.taps((x0 - self.shift) / self.scale),
                                         self.taps((x1 - self.shift) / self.scale))):
            n0 = f0 / (torch.sqrt((f0 ** 2).sum(1, keepdim=True)) + 1e-10)
            n1 = f1 / (torch.sqrt((f1 ** 2).sum(1, keepdim=True)) + 1e-10)
            d = getattr(self, f"lin{k}").model(((n0 - n1) ** 2))
            if weight is None:
                total = total + d.mean((2, 3), keepdim=False).flatten()
            else:
                w = F.adaptive_avg_pool2d(weight, d.shape[2:])
                total = total + ((d * w).sum((1, 2, 3)) / w.sum((1, 2, 3)))
        return total


torch.manual_seed(0)
lpips = Lpips().eval()
with torch.no_grad():
    for name, p in lpips.named_parameters():
        if name.endswith("bias"):
            p.normal_(0.0, 0.1)
        elif name.startswith("lin"):
            p.uniform_(0.0, 0.1)  # the trained lin weights are non-negative
x0 = torch.rand(2, 3, 40, 48) * 2 - 1
x1 = torch.rand(2, 3, 40, 48) * 2 - 1
weight = (torch.rand(2, 1, 40, 48) > 0.6).float()
with torch.no_grad():
    expected = {"distance": lpips(x0, x1), "distance_weighted": lpips(x0, x1, weight)}
print(f"lpips reference distances {expected['distance'].tolist()}, weighted {expected['distance_weighted'].tolist()}")
tensors = {f"weight.{k}": v for k, v in lpips.state_dict().items()}
tensors.update({"input0": x0, "input1": x1, "input2": weight})
parity.compare_all("lpips", parity.run("metrics.lpips", {"case": "metrics.lpips"}, tensors), expected)


# ---- InceptionV3 (FID) -----------------------------------------------------------------------------

class BasicConv2d(nn.Module):
    def __init__(self, inp, out, kernel, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(inp, out, kernel, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(out, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def avg_pool(x):
    return F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)


class InceptionA(nn.Module):
    def __init__(self, inp, pool_features):
        super().__init__()
        self.branch1x1 = BasicConv2d(inp, 64, 1)
        self.branch5x5_1 = BasicConv2d(inp, 48, 1)
        self.branch5x5_2 = BasicConv2d(48, 64, 5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(inp, 64, 1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, 3, padding=1)
        self.branch_pool = BasicConv2d(inp, pool_features, 1)

    def forward(self, x):
        return torch.cat([self.branch1x1(x), self.branch5x5_2(self.branch5x5_1(x)),
                          self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                          self.branch_pool(avg_pool(x))], 1)


class InceptionB(nn.Module):
    def __init__(self, inp):
        super().__init__()
        self.branch3x3 = BasicConv2d(inp, 384, 3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(inp, 64, 1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, 3, stride=2)

    def forward(self, x):
        return torch.cat([self.branch3x3(x), self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                          F.max_pool2d(x, 3, stride=2)], 1)


class InceptionC(nn.Module):
    def __init__(self, inp, c7):
        super().__init__()
        self.branch1x1 = BasicConv2d(inp, 192, 1)
        self.branch7x7_1 = BasicConv2d(inp, c7, 1)
        self.branch7x7_2 = BasicConv2d(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, (7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(inp, c7, 1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, (1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(inp, 192, 1)

    def forward(self, x):
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        d7 = x
        for i in range(1, 6):
            d7 = getattr(self, f"branch7x7dbl_{i}")(d7)
        return torch.cat([self.branch1x1(x), b7, d7, self.branch_pool(avg_pool(x))], 1)


class InceptionD(nn.Module):
    def __init__(self, inp):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(inp, 192, 1)
        self.branch3x3_2 = BasicConv2d(192, 320, 3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(inp, 192, 1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, (1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, (7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, 3, stride=2)

    def forward(self, x):
        b7 = x
        for i in range(1, 5):
            b7 = getattr(self, f"branch7x7x3_{i}")(b7)
        return torch.cat([self.branch3x3_2(self.branch3x3_1(x)), b7, F.max_pool2d(x, 3, stride=2)], 1)


class InceptionE(nn.Module):
    def __init__(self, inp, max_pool_branch):
        super().__init__()
        self.max_pool_branch = max_pool_branch
        self.branch1x1 = BasicConv2d(inp, 320, 1)
        self.branch3x3_1 = BasicConv2d(inp, 384, 1)
        self.branch3x3_2a = BasicConv2d(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(inp, 448, 1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, 3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, (3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(inp, 192, 1)

    def forward(self, x):
        b3 = self.branch3x3_1(x)
        d3 = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        pooled = F.max_pool2d(x, 3, stride=1, padding=1) if self.max_pool_branch else avg_pool(x)
        return torch.cat([self.branch1x1(x), self.branch3x3_2a(b3), self.branch3x3_2b(b3),
                          self.branch3x3dbl_3a(d3), self.branch3x3dbl_3b(d3), self.branch_pool(pooled)], 1)


class InceptionFid(nn.Module):
    def __init__(self):
        super().__init__()
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, 3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, 3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, 3, padding=1)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, 1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, 3)
        self.Mixed_5b = InceptionA(192, 32)
        self.Mixed_5c = InceptionA(256, 64)
        self.Mixed_5d = InceptionA(288, 64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = InceptionC(768, 128)
        self.Mixed_6c = InceptionC(768, 160)
        self.Mixed_6d = InceptionC(768, 160)
        self.Mixed_6e = InceptionC(768, 192)
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = InceptionE(1280, False)
        self.Mixed_7c = InceptionE(2048, True)

    def forward(self, x):
        # pytorch-fid InceptionV3(resize_input=True, normalize_input=True)
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False) * 2 - 1
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(F.max_pool2d(x, 3, stride=2)))
        x = F.max_pool2d(x, 3, stride=2)
        for name in ("5b", "5c", "5d", "6a", "6b", "6c", "6d", "6e", "7a", "7b", "7c"):
            x = getattr(self, "Mixed_" + name)(x)
        return F.adaptive_avg_pool2d(x, 1).flatten(1)


inception = InceptionFid()
with torch.no_grad():
    for module in inception.modules():
        if isinstance(module, nn.Conv2d):
            # He-normal keeps the activations of the 96-conv-deep random network at unit scale.
            fan_in = module.weight[0].numel()
            module.weight.normal_(0.0, (2.0 / fan_in) ** 0.5)
        elif isinstance(module, nn.BatchNorm2d):
            module.weight.uniform_(0.8, 1.2)
            module.bias.uniform_(-0.1, 0.1)
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.8, 1.2)
inception.eval()
images = torch.rand(2, 3, 64, 80)
with torch.no_grad():
    features = inception(images)
print(f"inception reference features: mean |f| {features.abs().mean().item():.4f}, std {features.std().item():.4f}")
tensors = {f"weight.{k}": v for k, v in inception.state_dict().items()}
tensors["input0"] = images
parity.compare_all("inception_fid", parity.run("metrics.inception", {"case": "metrics.inception"}, tensors), {"features": features},
                   rtol=1e-4, atol=1e-4 * features.abs().max().item())


# ---- Frechet distance ------------------------------------------------------------------------------

try:
    import scipy.linalg

    def reference_fid(a, b):
        mu1, mu2 = a.mean(0), b.mean(0)
        s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        covmean = scipy.linalg.sqrtm(s1.dot(s2)).real
        return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))

    generator = np.random.default_rng(0)
    for n, d in ((200, 16), (64, 40)):
        a = generator.normal(size=(n, d))
        b = generator.normal(size=(n, d)) @ generator.normal(size=(d, d)) * 0.3 + 0.2
        result = parity.run("metrics.frechet", {"case": "metrics.frechet"}, {"input0": torch.from_numpy(a), "input1": torch.from_numpy(b)})
        parity.compare_all(f"frechet_{n}x{d}", result, {"fid": torch.tensor(reference_fid(a, b), dtype=torch.float64)},
                           rtol=1e-8, atol=1e-8)
except ImportError:
    print("skip frechet: scipy is not installed")

parity.finish()
