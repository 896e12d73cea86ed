#!/usr/bin/env bash
# The GPU benchmarks, after scripts/gpu-check.sh has built the CUDA backend into the same build
# directory: per-op forward+backward next to PyTorch (with the fraction of peak bandwidth of the
# memory-bound ops) at batch 1 and 8, then whole seggan training steps at 256 px. Everything is
# printed and also written to BUILD/gpu-bench.log, ready for bench/RESULTS.md.
#   scripts/gpu-bench.sh [build directory, default build-gpu]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-gpu}
python=$(grep -oP '^DFORGE_PYTHON:FILEPATH=\K.*' "$BUILD/CMakeCache.txt")
# The library path gpu-check.sh used (unpacked build-deps/, cuDNN from PyTorch's wheels).
source "$BUILD/gpu-env.sh"
cmake --build "$BUILD" -j "$(nproc)" --target bench_ops dforge_cli
{
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv,noheader || true
  date -u +%Y-%m-%d
  for batch in 1 8; do
    "$python" bench/ops_vs_torch.py --binary "$BUILD/bench_ops" --device cuda --batch "$batch"
    echo
  done
  "$BUILD/dforge" bench seggan --device cuda --size 256 --batch 1,8 --steps 10 --warmup 3
} 2>&1 | tee "$BUILD/gpu-bench.log"
