"""Runs bench_ops and the same cases in PyTorch, on the same device (CPU with the same thread count,
or the GPU) in one run; prints each case's time for both, the ratio (PyTorch time / ours: above 1
means we are faster) and, on the GPU, each memory-bound case's achieved fraction of the device's
nominal peak bandwidth for both sides (the least traffic the case needs / time / peak).
    bench/ops_vs_torch.py --binary build/bench_ops [--device cpu|cuda] [--batch N] [--threads T] [--only S]"""
import argparse
import json
import os
import statistics
import subprocess
import time

import torch
import torch.nn.functional as F

DEVICE = "cpu"


def synchronize():
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def median_ms(body, repetitions):
    if DEVICE == "cuda":
        repetitions = 50
    body()
    synchronize()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        synchronize()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def randn(*shape, requires_grad=False):
    return torch.randn(*shape, device=DEVICE, requires_grad=requires_grad)


def backward_case(forward, inputs, output_shape, repetitions):
    """Times forward(*inputs).backward(g) for a fixed g, the gradients cleared after each."""
    g = randn(*output_shape)

    def body():
        forward(*inputs).backward(g)
        for t in inputs:
            t.grad = None
    return median_ms(body, repetitions)


def conv_case(batch, inputs, outputs, size, kernel, stride, padding, transposed):
    x = randn(batch, inputs, size, size, requires_grad=True)
    shape = (inputs, outputs, kernel, kernel) if transposed else (outputs, inputs, kernel, kernel)
    weight = randn(*shape, requires_grad=True)
    bias = randn(outputs, requires_grad=True)
    op = F.conv_transpose2d if transposed else F.conv2d
    output_shape = op(x, weight, bias, stride, padding).shape
    return backward_case(lambda *t: op(*t, stride, padding), [x, weight, bias], output_shape, 7)


def instance_norm_case(batch, channels, size):
    x = randn(batch, channels, size, size, requires_grad=True)
    return backward_case(lambda x: F.instance_norm(x, eps=1e-5), [x], x.shape, 15)


def batch_norm_case(batch, channels, size):
    x = randn(batch, channels, size, size, requires_grad=True)
    weight = torch.ones(channels, device=DEVICE, requires_grad=True)
    bias = torch.zeros(channels, device=DEVICE, requires_grad=True)
    running_mean = torch.zeros(channels, device=DEVICE)
    running_var = torch.ones(channels, device=DEVICE)
    return backward_case(lambda x, w, b: F.batch_norm(x, running_mean, running_var, w, b, True, 0.1, 1e-5),
                         [x, weight, bias], x.shape, 15)


def leaky_relu_case(batch, channels, size):
    x = randn(batch, channels, size, size, requires_grad=True)
    return backward_case(lambda x: F.leaky_relu(x, 0.2), [x], x.shape, 15)


def upsample_case(batch, channels, size, mode):
    x = randn(batch, channels, size // 2, size // 2, requires_grad=True)
    align = False if mode == "bilinear" else None
    return backward_case(lambda x: F.interpolate(x, size=(size, size), mode=mode, align_corners=align), [x],
                         (batch, channels, size, size), 15)


def cat_case(batch, channels, size):
    a = randn(batch, channels, size, size, requires_grad=True)
    b = randn(batch, channels, size, size, requires_grad=True)
    return backward_case(lambda a, b: torch.cat([a, b], 1), [a, b], (batch, 2 * channels, size, size), 15)


def channel_mean_case(batch, channels, size):
    x = randn(batch, channels, size, size, requires_grad=True)
    return backward_case(lambda x: x.mean((0, 2, 3)), [x], (channels,), 15)


def radam_case(shapes):
    """torch.optim.RAdam's default step (foreach on CUDA) over parameters of the given shapes, once
    past the rectification threshold, as our case measures the rectified rule."""
    parameters = [randn(*shape, requires_grad=True) for shape in shapes]
    for p in parameters:
        p.grad = torch.randn_like(p)
    optimizer = torch.optim.RAdam(parameters, lr=2e-4, betas=(0.5, 0.999))
    for _ in range(6):  # rho_t > 5 from step 6 on
        optimizer.step()
    return median_ms(optimizer.step, 15)


def net_case(batch, size):
    x = randn(batch, 3, size, size)
    weights = [randn(64, 3, 4, 4, requires_grad=True), randn(128, 64, 4, 4, requires_grad=True),
               randn(1, 128, 4, 4, requires_grad=True)]
    biases = [randn(64, requires_grad=True), randn(128, requires_grad=True), randn(1, requires_grad=True)]

    def body():
        h = F.leaky_relu(F.conv2d(x, weights[0], biases[0], 2, 1), 0.2)
        h = F.leaky_relu(F.instance_norm(F.conv2d(h, weights[1], biases[1], 2, 1), eps=1e-5), 0.2)
        y = F.conv2d(h, weights[2], biases[2], 1, 1)
        (y * y).mean().backward()
        for t in weights + biases:
            t.grad = None
    return median_ms(body, 7)


def cases(batch, records):
    b = batch
    return {
        "conv 64->128 k4s2 128x128": lambda: conv_case(b, 64, 128, 128, 4, 2, 1, False),
        "conv 128->256 k4s2 64x64": lambda: conv_case(b, 128, 256, 64, 4, 2, 1, False),
        "conv 256->256 k3s1 32x32": lambda: conv_case(b, 256, 256, 32, 3, 1, 1, False),
        "conv 256->256 k4s2 16x16": lambda: conv_case(b, 256, 256, 16, 4, 2, 1, False),
        "convT 256->128 k4s2 32x32": lambda: conv_case(b, 256, 128, 32, 4, 2, 1, True),
        "convT 128->64 k4s2 64x64": lambda: conv_case(b, 128, 64, 64, 4, 2, 1, True),
        "instance_norm 64x128x128": lambda: instance_norm_case(b, 64, 128),
        "instance_norm 256x32x32": lambda: instance_norm_case(b, 256, 32),
        "batch_norm 64x128x128": lambda: batch_norm_case(b, 64, 128),
        "leaky_relu 64x128x128": lambda: leaky_relu_case(b, 64, 128),
        "upsample nearest 64x64->128x128": lambda: upsample_case(b, 64, 128, "nearest"),
        "upsample bilinear 64x64->128x128": lambda: upsample_case(b, 64, 128, "bilinear"),
        "cat 2x64x128x128": lambda: cat_case(b, 64, 128),
        "mean over N,H,W 64x128x128": lambda: channel_mean_case(b, 64, 128),
        "radam step, seggan G 256px": lambda: radam_case(records["radam step, seggan G 256px"]["shapes"]),
        "3-layer conv net 128x128": lambda: net_case(b, 128),
    }


def main():
    global DEVICE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="path to bench_ops")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="CPU threads of both sides")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    DEVICE = args.device
    if DEVICE == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but PyTorch sees no CUDA device")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if DEVICE == "cuda":
        # Like for like: our GEMMs are FP32 unless DFORGE_TF32=1, and cuDNN may autotune as ours does.
        torch.backends.cuda.matmul.allow_tf32 = os.environ.get("DFORGE_TF32") == "1"
        torch.backends.cudnn.allow_tf32 = os.environ.get("DFORGE_TF32") == "1"
        torch.backends.cudnn.benchmark = True
    environment = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    command = [args.binary, "--device", DEVICE, "--batch", str(args.batch), "--only", args.only]
    lines = subprocess.run(command, capture_output=True, text=True, check=True, env=environment).stdout.splitlines()
    header = json.loads(lines[0])
    records = {record["case"]: record for record in map(json.loads, lines[1:])}
    peak = header["peak_bytes_per_second"]
    where = f"{header['device']}" if DEVICE == "cuda" else f"CPU, {args.threads} threads"
    print(f"torch {torch.__version__}, {where}, batch {args.batch}, forward+backward, median ms")
    if peak:
        print(f"fraction of peak: least traffic / time / {peak / 1e9:.0f} GB/s (nominal)")
    print(f"{'case':34s} {'dforge':>9s} {'torch':>9s} {'torch/dforge':>13s}" + ("  peak: dforge  torch" if peak else ""))
    for name, run in cases(args.batch, records).items():
        if name not in records:
            continue
        ours = records[name]["ms"]
        theirs = run()
        line = f"{name:34s} {ours:9.3f} {theirs:9.3f} {theirs / ours:12.2f}x"
        if peak and records[name]["bytes"]:
            fraction = lambda ms: records[name]["bytes"] / (ms / 1000) / peak
            line += f"  {fraction(ours):11.0%} {fraction(theirs):6.0%}"
        print(line)


if __name__ == "__main__":
    main()
