"""Runs bench_cpu and the same cases in PyTorch (CPU, same thread count) in one run; prints each
case's time for both and the ratio (PyTorch time / ours: above 1 means we are faster)."""
import argparse
import json
import os
import statistics
import subprocess
import time

import torch
import torch.nn.functional as F


def median_ms(body, repetitions):
    body()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def conv_case(inputs, outputs, size, kernel, stride, padding, transposed):
    x = torch.randn(1, inputs, size, size, requires_grad=True)
    shape = (inputs, outputs, kernel, kernel) if transposed else (outputs, inputs, kernel, kernel)
    weight = torch.randn(*shape, requires_grad=True)
    bias = torch.randn(outputs, requires_grad=True)
    op = F.conv_transpose2d if transposed else F.conv2d
    g = torch.randn_like(op(x, weight, bias, stride, padding))

    def body():
        y = op(x, weight, bias, stride, padding)
        y.backward(g)
        x.grad = weight.grad = bias.grad = None
    return lambda: median_ms(body, 7)


def instance_norm_case(channels, size):
    x = torch.randn(1, channels, size, size, requires_grad=True)
    g = torch.randn_like(x)

    def body():
        F.instance_norm(x, eps=1e-5).backward(g)
        x.grad = None
    return lambda: median_ms(body, 15)


def net_case(size):
    x = torch.randn(1, 3, size, size)
    weights = [torch.randn(64, 3, 4, 4, requires_grad=True), torch.randn(128, 64, 4, 4, requires_grad=True),
               torch.randn(1, 128, 4, 4, requires_grad=True)]
    biases = [torch.randn(64, requires_grad=True), torch.randn(128, requires_grad=True),
              torch.randn(1, requires_grad=True)]

    def body():
        h = F.leaky_relu(F.conv2d(x, weights[0], biases[0], 2, 1), 0.2)
        h = F.leaky_relu(F.instance_norm(F.conv2d(h, weights[1], biases[1], 2, 1), eps=1e-5), 0.2)
        y = F.conv2d(h, weights[2], biases[2], 1, 1)
        (y * y).mean().backward()
        for t in weights + biases:
            t.grad = None
    return lambda: median_ms(body, 7)


CASES = {
    "conv 64->128 k4s2 128x128": conv_case(64, 128, 128, 4, 2, 1, False),
    "conv 128->256 k4s2 64x64": conv_case(128, 256, 64, 4, 2, 1, False),
    "conv 256->256 k3s1 32x32": conv_case(256, 256, 32, 3, 1, 1, False),
    "conv 256->256 k4s2 16x16": conv_case(256, 256, 16, 4, 2, 1, False),
    "convT 256->128 k4s2 32x32": conv_case(256, 128, 32, 4, 2, 1, True),
    "convT 128->64 k4s2 64x64": conv_case(128, 64, 64, 4, 2, 1, True),
    "instance_norm 64x128x128": instance_norm_case(64, 128),
    "instance_norm 256x32x32": instance_norm_case(256, 32),
    "3-layer conv net 128x128": net_case(128),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True, help="path to bench_cpu")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    environment = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    ours = {}
    for line in subprocess.run([args.binary], capture_output=True, text=True, check=True,
                               env=environment).stdout.splitlines():
        record = json.loads(line)
        ours[record["case"]] = record["ms"]
    print(f"torch {torch.__version__}, {args.threads} threads, forward+backward, median ms")
    print(f"{'case':32s} {'dforge':>9s} {'torch':>9s} {'torch/dforge':>13s}")
    for name, run in CASES.items():
        theirs = run()
        print(f"{name:32s} {ours[name]:9.2f} {theirs:9.2f} {theirs / ours[name]:12.2f}x")


if __name__ == "__main__":
    main()
