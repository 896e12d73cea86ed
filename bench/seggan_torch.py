"""The PyTorch side of `dforge bench seggan`: times full seggan training steps (G and D updates) of
the reference step in tests/parity/reference_seggan.py, with the configuration of ours, and prints
one JSON line: steps_per_second (1 / median), seconds_per_step (median), peak_bytes.

Peak memory: on CUDA torch.cuda.max_memory_allocated() over the timed steps; on the CPU the growth
of the process's resident set during the timed steps (VmHWM after the steps minus VmRSS at the
start, with the high-water mark reset by writing 5 to /proc/self/clear_refs) -- the method of
apps/bench/peak_memory.cpp, so both sides are measured alike.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "parity"))
from reference_seggan import SegganReference  # noqa: E402


def status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


class PeakMemory:
    def __init__(self, device):
        self.device = device

    def reset(self):
        if self.device == "cuda":
            torch.cuda.reset_peak_memory_stats()
            self.start = torch.cuda.memory_allocated()
        else:
            with open("/proc/self/clear_refs", "w") as clear_refs:
                clear_refs.write("5")
            self.start = status_kib("VmRSS") * 1024

    def peak_bytes(self):
        if self.device == "cuda":
            return torch.cuda.max_memory_allocated()
        return max(0, status_kib("VmHWM") * 1024 - self.start)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--gen", choices=["unet", "resnet"], default="unet")
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    if args.device == "cuda":
        torch.backends.cudnn.benchmark = True
    reference = SegganReference(size=args.size, generator=args.gen, device=args.device)
    reference.initialise(0.02, 0.0)
    shape = (args.batch, 4, args.size, args.size)
    x = torch.rand(shape, device=args.device) * 2 - 1
    y = torch.rand(shape, device=args.device) * 2 - 1
    s = (torch.rand((args.batch, 1, args.size, args.size), device=args.device) < 0.5).float()

    def synchronize():
        if args.device == "cuda":
            torch.cuda.synchronize()

    for _ in range(args.warmup):
        reference.step(x, y, s)
    synchronize()
    memory = PeakMemory(args.device)
    memory.reset()
    seconds = []
    for _ in range(args.steps):
        start = time.perf_counter()
        reference.step(x, y, s)
        synchronize()
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    print(json.dumps({"torch": torch.__version__, "device": args.device, "size": args.size, "batch": args.batch,
                      "threads": args.threads, "steps": args.steps, "seconds_per_step": median,
                      "steps_per_second": 1.0 / median, "peak_bytes": memory.peak_bytes()}))


if __name__ == "__main__":
    main()
